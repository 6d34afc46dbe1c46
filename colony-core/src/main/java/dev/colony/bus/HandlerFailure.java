package dev.colony.bus;

/**
 * A handler that threw while handling an event.
 *
 * @param subscription whose handler failed
 * @param event the event it was handling
 * @param error what it threw
 */
public record HandlerFailure(Subscription subscription, Event event, Throwable error) {}
