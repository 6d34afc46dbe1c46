package dev.colony.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts deliveries made by any number of consumer threads and lets the publisher wait for them: the
 * many-consumer sibling of {@link DeliveryCounter}, used where deliveries happen on several threads
 * (fan-out to many subscribers, request/reply servers on pools). Every peer in a benchmark uses the same
 * tally and the same wait.
 */
final class DeliveryTally {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final LongAdder count = new LongAdder();

    /** Safe from any thread. */
    void increment() {
        count.increment();
    }

    long get() {
        return count.sum();
    }

    /**
     * Waits until the count reaches {@code target}: spins briefly, then yields. Returns the count.
     *
     * @throws IllegalStateException if the count does not get there within 30 s (deliveries were lost)
     */
    long awaitAtLeast(long target) {
        long now = get();
        if (now >= target) {
            return now;
        }
        long start = System.nanoTime();
        for (int spins = 0; (now = get()) < target; spins++) {
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
                if ((spins & 255) == 0 && System.nanoTime() - start > TIMEOUT_NANOS) {
                    throw new IllegalStateException("consumers stuck at " + now + " of " + target + " deliveries");
                }
            }
        }
        return now;
    }

    /** Fails unless exactly {@code expected} deliveries were counted, after waiting for late ones. */
    void verifyExactly(long expected, String what) {
        awaitAtLeast(expected);
        long seen = get();
        if (seen != expected) {
            throw new IllegalStateException(what + ": expected " + expected + " deliveries, counted " + seen);
        }
    }
}
