package dev.colony.validation;

import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

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
 * @param details scenario-specific figures: built from the scenario's own record by {@link #of}, read back as
 *     nested maps (files of every version carry different details, so readers look them up by path)
 * @param perIteration every measured iteration's headline figures (the spread), or null in files written
 *     before it existed
 * @param baseline the same verified work done without Colony in the same run, or null in older files
 */
public record ScenarioResult(
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

    public ScenarioResult(
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
    public ScenarioResult with(Measurement.PerIteration spread, Baseline baseline) {
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
    public static final Target ORIGINAL_TARGET = new Target("throughput_per_sec", 10_000);

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    /**
     * A scenario's result: {@code m} is the headline (its median iteration, latency and per-iteration
     * figures), {@code verified} the counts over every variant, and {@code details} the scenario's own figures
     * as a record, whose component names become the snake_case keys of the JSON {@code details} (null
     * components are left out). It passes when every count verified, {@code clean} holds (no duplicate, no
     * failed step the counts do not show) and the headline meets {@code target}; it judges no goal (that is
     * {@link Goals}' job).
     */
    public static ScenarioResult of(
            String name, Measurement m, Verified verified, Target target, boolean clean, Object details) {
        return new ScenarioResult(
                name,
                m.operations(),
                m.iterations(),
                Measurement.round(m.medianSeconds()),
                Measurement.round(m.throughput()),
                m.latencyUs(),
                verified,
                target,
                verified.ok() && clean && m.throughput() >= target.min(),
                BenchReport.JSON.convertValue(details, DETAILS),
                m.perIteration(),
                null);
    }

    /** The counts of several measurements together. */
    public static Verified verified(Measurement... all) {
        long expected = 0;
        long observed = 0;
        for (Measurement m : all) {
            expected += m.expected();
            observed += m.observed();
        }
        return new Verified(expected, observed);
    }

    /** This result with its same-run baseline; it passes only if the baseline verified too. */
    public ScenarioResult with(Baseline baseline) {
        return with(perIteration, baseline);
    }

    /** The median throughput as a ratio to the target: 1 meets it (infinite for a target of 0). */
    public double toTarget() {
        return target.min() == 0 ? Double.POSITIVE_INFINITY : Figure.THROUGHPUT.value(this) / target.min();
    }

    public record Latency(double p50, double p95, double p99, double p999, double max) {}

    public record Verified(long expected, long observed) {
        public boolean ok() {
            return expected == observed;
        }
    }

    public record Target(String metric, double min) {}

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
    public record Baseline(
            String name,
            String what,
            long operations,
            double throughputPerSec,
            List<Double> throughputPerIteration,
            Latency latencyUs,
            Verified verified,
            double ratio) {

        public Baseline {
            throughputPerIteration = List.copyOf(throughputPerIteration);
        }

        /** The baseline's figures from its measurement, with the ratio of {@code colony}'s throughput to it. */
        public static Baseline of(
                String name, String what, Measurement baseline, Measurement colony, boolean withLatency) {
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
