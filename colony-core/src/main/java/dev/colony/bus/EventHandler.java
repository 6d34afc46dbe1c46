package dev.colony.bus;

/**
 * Receives the events of one subscription.
 *
 * <p>A DIRECT handler runs on the publisher's thread and may be called by several publishers at once;
 * an ASYNC handler runs on the subscription's own virtual thread, one event at a time. A handler that
 * throws anything, errors such as {@code StackOverflowError} included, does not affect the publisher or
 * other subscribers: the failure is counted and given to the bus's failure handler, and an ASYNC
 * subscription goes on with its next event.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(Event event) throws Exception;
}
