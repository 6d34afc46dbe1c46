package dev.colony.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A count that only grows, registered in a {@link MetricsRegistry}. Backed by a {@link LongAdder}: many
 * threads increment it without contention, and a read sums the cells (a read concurrent with increments
 * sees some of them). Thread-safe.
 */
public final class Counter {
    private final LongAdder adder = new LongAdder();

    Counter() {}

    /** Adds one. */
    public void increment() {
        adder.increment();
    }

    /**
     * Adds {@code amount}.
     *
     * @throws IllegalArgumentException if {@code amount} is negative (a counter never goes down)
     */
    public void add(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("counter amount must not be negative, got " + amount);
        }
        adder.add(amount);
    }

    /** The count now. */
    public long count() {
        return adder.sum();
    }
}
