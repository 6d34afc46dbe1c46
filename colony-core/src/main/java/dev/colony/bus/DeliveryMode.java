package dev.colony.bus;

/** How a subscription receives its events. */
public enum DeliveryMode {
    /**
     * On the publisher's thread, during {@code publish}, in subscription-priority order. The cheapest mode;
     * a slow handler slows the publisher.
     */
    DIRECT,
    /**
     * Through the subscription's bounded mailbox, drained by its own virtual thread; higher event
     * priorities first, FIFO per publisher within a priority. Full mailboxes follow the
     * subscription's {@link OverflowPolicy}.
     */
    ASYNC
}
