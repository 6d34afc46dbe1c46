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
 *
 * <p>The wait is bounded by the bus's {@linkplain EventBus.Builder#closeTimeout close timeout}: an ASYNC
 * handler still running then is interrupted, counted in {@link BusMetrics#abandoned()} and logged, and
 * close returns (see {@link EventBus#close()}); if it ignores the interrupt, its virtual thread runs on
 * until the handler returns and then ends without another call. DIRECT handlers run on their publishers'
 * threads: close waits for them up to the same timeout and never interrupts them.
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
