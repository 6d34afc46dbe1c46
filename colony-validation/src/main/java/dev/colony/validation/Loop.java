package dev.colony.validation;

import org.HdrHistogram.Histogram;

/**
 * The one warm-up/measure loop of every scenario: {@code warmup} iterations whose timings and latencies are
 * thrown away, then {@code iterations} measured ones, each recorded in a {@link Measurement} with its verified
 * count and (when the iteration timed one) its latency histogram. The counts of warm-up iterations are kept:
 * a unit lost or duplicated in a warm-up fails the run as one in a measured iteration does. Progress goes through {@link BenchSettings#progress}
 * before the loop and {@link Progress#CURRENT} after each measured iteration.
 */
public final class Loop {
    private Loop() {}

    /**
     * What one iteration did.
     *
     * @param nanos how long the timed part took
     * @param expected units of work the iteration should have verified, or {@link #OPERATIONS} for the
     *     measurement's operations per iteration
     * @param observed units of work that were done and passed their check
     * @param latency latency values recorded in this iteration, in nanoseconds, or null when it times none; the
     *     loop adds them to the measurement only for a measured iteration
     */
    public record Tally(long nanos, long expected, long observed, Histogram latency) {
        /** The {@code expected} of an iteration that verifies each of its operations. */
        public static final long OPERATIONS = -1;

        public Tally {
            if (nanos < 0) {
                throw new IllegalArgumentException("nanos must be 0 or more, got " + nanos);
            }
        }

        /** An iteration that verifies each of its operations and times no latency. */
        public static Tally of(long nanos, long observed) {
            return new Tally(nanos, OPERATIONS, observed, null);
        }

        /** An iteration that verifies each of its operations, with the latency it recorded. */
        public static Tally of(long nanos, long observed, Histogram latency) {
            return new Tally(nanos, OPERATIONS, observed, latency);
        }
    }

    /** One iteration of a workload. */
    @FunctionalInterface
    public interface Iteration {
        /**
         * Does the work once.
         *
         * @param index 0 for the first warm-up iteration, counting on through the measured ones
         */
        Tally run(int index) throws Exception;
    }

    /** One latency-only iteration: does the work once, recording each unit's latency into {@code latency}. */
    @FunctionalInterface
    public interface Timed {
        void run(Histogram latency) throws Exception;
    }

    /**
     * Runs {@code settings.warmup()} + {@code settings.iterations()} iterations of {@code body} and returns the
     * measured ones, each expected to verify {@code operations} units; the counts of the warm-up iterations are
     * added to the measurement's verification (not to its timings).
     *
     * @param what names the variant in the progress line ("event-bus: DIRECT")
     */
    public static Measurement measure(BenchSettings settings, String what, long operations, Iteration body)
            throws Exception {
        settings.progress("%s: %d warm-up + %d measured iterations", what, settings.warmup(), settings.iterations());
        Measurement m = new Measurement(operations);
        for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
            Tally tally = body.run(it);
            long expected = tally.expected() == Tally.OPERATIONS ? operations : tally.expected();
            if (it >= settings.warmup()) {
                if (tally.latency() != null) {
                    m.latency.add(tally.latency());
                }
                m.iteration(tally.nanos(), expected, tally.observed());
            } else {
                m.warmup(expected, tally.observed());
            }
        }
        return m;
    }

    /**
     * Latency in iterations of its own, after {@link #measure}: {@code settings.iterations()} runs of {@code
     * body}, each closed as one iteration of {@code m}'s latency (for workloads whose per-unit timing would
     * slow the throughput iterations).
     */
    public static void timeLatency(BenchSettings settings, Measurement m, Timed body) throws Exception {
        for (int it = 0; it < settings.iterations(); it++) {
            body.run(m.latency);
            m.latencyIteration();
        }
    }
}
