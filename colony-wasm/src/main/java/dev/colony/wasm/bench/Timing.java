package dev.colony.wasm.bench;

import java.util.Arrays;
import java.util.function.LongSupplier;

/** The one warm-up-then-measure loop of the plain benchmark: the median of measured rounds. */
final class Timing {
    private Timing() {}

    /**
     * Runs {@code round} {@code warmup} times unmeasured, then {@code rounds} times, and returns the median
     * of what the measured rounds returned (each round returns its own elapsed nanoseconds).
     */
    static long median(int warmup, int rounds, LongSupplier round) {
        for (int i = 0; i < warmup; i++) {
            round.getAsLong();
        }
        long[] measured = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            measured[i] = round.getAsLong();
        }
        Arrays.sort(measured);
        return measured[rounds / 2];
    }
}
