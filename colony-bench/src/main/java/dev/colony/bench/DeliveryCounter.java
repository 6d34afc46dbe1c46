package dev.colony.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Counts deliveries made by one consumer thread and lets the publisher wait for them. Every hand-off
 * baseline and Colony's ASYNC bus use the same counter and the same wait, so they compare fairly.
 *
 * <p>The count sits in the middle of its own array, 128 bytes from either end, so the consumer's
 * writes never share a cache line with anything the publisher reads.
 */
final class DeliveryCounter {
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SLOT = 16; // 128 bytes either side
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final long[] cells = new long[2 * SLOT + 1];

    /** Called by the single consumer thread only; the release store pairs with the acquire in {@link #get}. */
    void increment() {
        CELLS.setRelease(cells, SLOT, (long) CELLS.getOpaque(cells, SLOT) + 1);
    }

    long get() {
        return (long) CELLS.getAcquire(cells, SLOT);
    }

    /**
     * Waits until the count reaches {@code target}: spins briefly, then yields (the machine has two
     * cores, so the consumer needs the other one). Returns the count.
     *
     * @throws IllegalStateException if the count does not get there within 30 s (events were lost)
     */
    long awaitAtLeast(long target) {
        long now = get();
        if (now >= target) {
            return now;
        }
        long start = System.nanoTime();
        for (int spins = 0; (now = get()) < target; spins++) {
            if (spins < 128) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
                if ((spins & 1023) == 0 && System.nanoTime() - start > TIMEOUT_NANOS) {
                    throw new IllegalStateException("consumer stuck at " + now + " of " + target + " deliveries");
                }
            }
        }
        return now;
    }
}
