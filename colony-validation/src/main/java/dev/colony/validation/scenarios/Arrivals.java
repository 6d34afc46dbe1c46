package dev.colony.validation.scenarios;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * What node B counts of one iteration's units {@code 0..n-1}: each unit of the current iteration once, with
 * its latency from the sender's {@link System#nanoTime} (carried in the unit) to its arrival; a unit seen
 * again is a duplicate (counted over the whole run), a unit of another iteration is ignored.
 *
 * <p>Thread-safe: {@link #arrived} is called from the delivering threads, {@link #start} between iterations.
 */
final class Arrivals {
    private final ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
    private final AtomicReference<AtomicIntegerArray> seen = new AtomicReference<>(new AtomicIntegerArray(0));
    private final AtomicInteger iteration = new AtomicInteger(-1);
    private final LongAdder good = new LongAdder();
    private final LongAdder duplicates = new LongAdder();

    /** Starts counting iteration {@code it} of {@code n} units. */
    void start(int it, int n) {
        seen.set(new AtomicIntegerArray(n));
        good.reset();
        latency.reset();
        iteration.set(it);
    }

    /** Unit {@code seq} of iteration {@code it}, sent at {@code sentNanos}, arrived at {@code now}. */
    void arrived(int it, int seq, long sentNanos, long now) {
        AtomicIntegerArray current = seen.get();
        if (it != iteration.get() || seq < 0 || seq >= current.length()) {
            return;
        }
        if (current.incrementAndGet(seq) == 1) {
            latency.recordValue(Math.max(0, now - sentNanos));
            good.increment();
        } else {
            duplicates.increment();
        }
    }

    /** Units of the current iteration seen once so far. */
    long good() {
        return good.sum();
    }

    /** Units seen more than once, over the whole run. */
    long duplicates() {
        return duplicates.sum();
    }

    /** A copy of the current iteration's latencies, in nanoseconds. */
    ConcurrentHistogram latency() {
        return latency.copy();
    }
}
