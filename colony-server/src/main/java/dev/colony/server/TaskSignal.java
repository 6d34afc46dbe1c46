package dev.colony.server;

import dev.colony.bus.EventBus;
import dev.colony.bus.Subscription;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long-polling task claims when the task queue changes: a generation counter bumped by every
 * {@code colony.task.>} announcement (on Redis, announcements of every server), and a condition the
 * waiters park on. A claim reads the generation, tries, and if nothing was claimable waits for a newer
 * generation; the bump after a failed try cannot be missed because the wait compares generations under the
 * lock. Waiters also wake at least once a second, because a retry's back-off ending announces nothing.
 *
 * <p>The publisher pays one atomic increment per announcement, and takes the lock only when someone waits.
 */
final class TaskSignal implements AutoCloseable {
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Subscription subscription;

    TaskSignal(EventBus bus) {
        this.subscription = bus.subscribe("colony.task.>", event -> bump());
    }

    /** How many claims wait now. */
    int waiting() {
        return waiting.get();
    }

    long generation() {
        return generation.get();
    }

    private void bump() {
        generation.incrementAndGet();
        // pairs with the waiter's increment of waiting before it re-reads generation under the lock
        if (waiting.get() > 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits until the generation moves past {@code seen}, at most {@code nanos}; false if interrupted. */
    boolean await(long seen, long nanos) {
        long remaining = Math.min(nanos, TimeUnit.SECONDS.toNanos(1));
        waiting.incrementAndGet();
        lock.lock();
        try {
            while (generation.get() == seen && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
