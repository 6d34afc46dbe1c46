package dev.colony.bus;

/**
 * What an ASYNC subscription does when an event arrives and its mailbox is full.
 *
 * <p>Critical events ({@link Event#isCritical()}) are never dropped: under the DROP policies a critical
 * event evicts a non-critical one, and when the mailbox holds only critical events it waits for space as
 * under {@link #BLOCK}. The publisher learns what happened from the {@link PublishResult}.
 */
public enum OverflowPolicy {
    /**
     * The publisher waits for space. Lossless; a handler publishing into its own full mailbox is rejected
     * instead of deadlocking. A DIRECT handler that publishes into a full BLOCK mailbox waits inside its
     * delivery, so that mailbox's handler must not close subscriptions meanwhile (ADR 0004, known limits).
     */
    BLOCK,
    /**
     * The oldest queued event of the lowest non-critical priority is dropped to make room; an arriving
     * event of a lower priority than everything queued is dropped itself.
     */
    DROP_OLDEST,
    /**
     * The newest event of the lowest non-critical priority is dropped, the arriving event counting as the
     * newest of its priority: so the arriving event is dropped unless something of a lower priority is
     * queued (or it is critical), in which case the newest of those is evicted instead.
     */
    DROP_NEWEST,
    /** The arriving event is rejected and the publisher is told; nothing queued is touched. */
    FAIL
}
