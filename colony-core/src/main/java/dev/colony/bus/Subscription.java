package dev.colony.bus;

/**
 * A live subscription; closing it stops delivery.
 *
 * <p>{@link #close()} is idempotent and may be called from any thread, including from a handler. Once it
 * returns, the handler is not called again: DIRECT deliveries in progress on other threads have
 * finished, the ASYNC drainer has stopped, and events still queued in the mailbox are discarded (counted
 * in {@link SubscriptionStats#discarded()}). One exception keeps handlers deadlock-free: a close called
 * from inside a DIRECT handler (on a publishing thread) does not wait for deliveries running on other
 * threads; it only guarantees that no new delivery starts.
 */
public interface Subscription extends AutoCloseable {
    SubjectPattern pattern();

    SubscribeOptions options();

    boolean isOpen();

    /** This subscription's counters at the time of the call. */
    SubscriptionStats stats();

    @Override
    void close();
}
