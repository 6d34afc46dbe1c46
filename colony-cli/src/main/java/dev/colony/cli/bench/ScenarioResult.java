package dev.colony.cli.bench;

import java.util.Map;

/**
 * One scenario's figures, in the stable JSON schema of WORKLOADS.md (field names become snake_case).
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
        Map<String, Object> details) {

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
}
