package dev.colony.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * One scenario's figures, in the stable JSON schema of docs/workloads.md (field names become snake_case).
 *
 * @param name the scenario
 * @param operations verified units of work in one iteration
 * @param iterations measured iterations
 * @param seconds the median measured iteration's duration
 * @param throughputPerSec verified units per second in the median iteration
 * @param latencyUs latency percentiles in microseconds
 * @param verified expected and observed units over all measured iterations
 * @param target the figure the scenario must reach to pass
 * @param pass verified counts match and the target is met
 * @param details scenario-specific figures
 * @param perIteration every measured iteration's headline figures (the spread), or null in files written
 *     before it existed
 * @param baseline the same verified work done without Colony in the same run, or null in older files
 */
record ScenarioResult(
        String name,
        long operations,
        int iterations,
        double seconds,
        double throughputPerSec,
        Latency latencyUs,
        Verified verified,
        Target target,
        boolean pass,
        Map<String, Object> details,
        Measurement.PerIteration perIteration,
        Baseline baseline) {

    ScenarioResult(
            String name,
            long operations,
            int iterations,
            double seconds,
            double throughputPerSec,
            Latency latencyUs,
            Verified verified,
            Target target,
            boolean pass,
            Map<String, Object> details) {
        this(
                name,
                operations,
                iterations,
                seconds,
                throughputPerSec,
                latencyUs,
                verified,
                target,
                pass,
                details,
                null,
                null);
    }

    /**
     * This result with each iteration's figures and its same-run baseline (null when there is none); it passes
     * only if the baseline verified.
     */
    ScenarioResult with(Measurement.PerIteration spread, Baseline baseline) {
        return new ScenarioResult(
                name,
                operations,
                iterations,
                seconds,
                throughputPerSec,
                latencyUs,
                verified,
                target,
                pass && (baseline == null || baseline.verified().ok()),
                details,
                spread,
                baseline);
    }

    /** The original report's target, 10,000 per second, which every bus scenario must reach to pass. */
    static final Target ORIGINAL_TARGET = new Target("throughput_per_sec", 10_000);

    /**
     * A bus scenario's result: DIRECT is the headline, ASYNC is in {@code details}; both must verify, and
     * DIRECT must reach {@link #ORIGINAL_TARGET}.
     */
    static ScenarioResult directAndAsync(
            String name, Measurement direct, Measurement async, Map<String, Object> details) {
        return new ScenarioResult(
                name,
                direct.operations(),
                direct.iterations(),
                Measurement.round(direct.medianSeconds()),
                Measurement.round(direct.throughput()),
                direct.latencyUs(),
                new Verified(direct.expected() + async.expected(), direct.observed() + async.observed()),
                ORIGINAL_TARGET,
                direct.verified() && async.verified() && direct.throughput() >= ORIGINAL_TARGET.min(),
                details);
    }

    record Latency(double p50, double p95, double p99, double p999, double max) {}

    record Verified(long expected, long observed) {
        boolean ok() {
            return expected == observed;
        }
    }

    record Target(String metric, double min) {}

    /**
     * The same verified work done without Colony in the same run: the reference every Colony figure is read
     * against.
     *
     * @param name a short name ("plain JDK dispatch")
     * @param what exactly what it does and how it is checked
     * @param operations verified units in one iteration (the same units as the scenario's)
     * @param throughputPerSec verified units per second in the median iteration
     * @param throughputPerIteration each measured iteration's throughput
     * @param latencyUs its latency percentiles, or null when it times none
     * @param verified expected and observed units over its measured iterations
     * @param ratio Colony's throughput divided by the baseline's: above 1, Colony does the work faster
     */
    record Baseline(
            String name,
            String what,
            long operations,
            double throughputPerSec,
            List<Double> throughputPerIteration,
            Latency latencyUs,
            Verified verified,
            double ratio) {

        Baseline {
            throughputPerIteration = List.copyOf(throughputPerIteration);
        }

        /** The baseline's figures from its measurement, with the ratio of {@code colony}'s throughput to it. */
        static Baseline of(String name, String what, Measurement baseline, Measurement colony, boolean withLatency) {
            return new Baseline(
                    name,
                    what,
                    baseline.operations(),
                    Measurement.round(baseline.throughput()),
                    baseline.perIteration().throughputPerSec(),
                    withLatency ? baseline.latencyUs() : null,
                    new Verified(baseline.expected(), baseline.observed()),
                    Measurement.round(colony.throughput() / baseline.throughput()));
        }
    }
}
