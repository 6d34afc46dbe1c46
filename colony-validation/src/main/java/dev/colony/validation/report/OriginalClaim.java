package dev.colony.validation.report;

import dev.colony.validation.Details;
import dev.colony.validation.ScenarioResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the original JavaScript report claimed for a workload (docs/workloads.md), and how to read Colony's
 * comparable figure from a result: in the claim's unit (per second, or a speedup), so the two stand side by
 * side as a ratio.
 *
 * @param scenario the scenario name
 * @param claim the claim as the original report stated it
 * @param measured what the original actually measured
 * @param figure the claim as a number in {@code unit}
 * @param unit the unit ("events/s"; "x Java" for a speedup over the same logic in Java)
 */
record OriginalClaim(String scenario, String claim, String measured, double figure, String unit) {
    static final String SPEEDUP = "x Java";

    static final List<OriginalClaim> ALL = List.of(
            new OriginalClaim(
                    "event-bus",
                    "10,000 events in 25.10 ms = 398,373 events/s, avg 2.5 µs",
                    "events published to no subscriber: nothing was delivered",
                    398_373,
                    "events/s"),
            new OriginalClaim(
                    "event-bus-concurrent",
                    "100 agents × 100 events in 1.41 ms = 7.08M events/s",
                    "agents ran one after another, and its agent.* subscriber never matched: none delivered",
                    7_080_000,
                    "events/s"),
            new OriginalClaim(
                    "messenger",
                    "10,000 messages, 21,894 msg/s, avg marshal 26 µs, \"~500 bytes\"",
                    "the messages were ~4.2 KB, not ~500 bytes; receipt was not checked",
                    21_894,
                    "msg/s"),
            new OriginalClaim(
                    "snapshot",
                    "1,000 snapshots of a 59.93 KB state, avg 0.28 ms (3,571/s)",
                    "snapshots were never persisted or restored",
                    1e6 / 280,
                    "snapshots/s"),
            new OriginalClaim(
                    "load",
                    "100 agents × 100 ops + 1,000 messages in 2.21 ms = 4.5M ops/s",
                    "sequential agents, events to no listeners",
                    4_500_000,
                    "ops/s"),
            new OriginalClaim(
                    "plugins",
                    "\"WASM integration\": 52x / 50x / 40x speedups",
                    "a JavaScript regex cache; no WebAssembly ran and no speedup was measured",
                    52,
                    SPEEDUP));

    static Optional<OriginalClaim> of(String scenario) {
        return ALL.stream().filter(c -> c.scenario().equals(scenario)).findFirst();
    }

    /**
     * Colony's figure in this claim's unit: events per second for the bus scenarios (deliveries divided by
     * subscribers reached per event); for {@code plugins} the compiled WASM filter's speedup over the Java
     * predicate in the same run (below 1: slower), the inverse of {@code wasm_cost_over_java}; otherwise the
     * headline throughput.
     */
    double colonyFigure(ScenarioResult result) {
        Map<String, Object> d = result.details();
        return switch (scenario) {
            case "event-bus" ->
                Details.number(d, "events_per_iteration")
                        .map(events -> result.throughputPerSec() * events / result.operations())
                        .orElse(result.throughputPerSec());
            case "event-bus-concurrent" -> {
                Optional<Double> agents = Details.number(d, "agents");
                Optional<Double> each = Details.number(d, "events_per_agent");
                yield agents.isPresent() && each.isPresent()
                        ? result.throughputPerSec() * agents.get() * each.get() / result.operations()
                        : result.throughputPerSec();
            }
            case "plugins" ->
                Details.number(d, "wasm_cost_over_java").map(cost -> 1 / cost).orElse(Double.NaN);
            default -> result.throughputPerSec();
        };
    }

    /** {@code value} in this claim's unit, for a table cell. */
    String format(double value) {
        return unit.equals(SPEEDUP)
                ? Findings.ratio(value) + unit
                : dev.colony.validation.Units.rate(value) + " " + unit;
    }
}
