package dev.colony.cli.bench;

import java.util.List;
import java.util.Optional;

/**
 * One workload of {@code colony bench}, as defined in docs/workloads.md: it does real work, checks every unit
 * of it, and reports what it measured.
 */
interface Scenario {
    /** The stable name: the {@code --scenario} value and the JSON {@code name}. */
    String name();

    /** One line for {@code colony bench --list}. */
    String description();

    ScenarioResult run(BenchSettings settings) throws Exception;

    /** Warm-up iterations when {@code --warmup} is not given: enough for the JIT to settle. */
    default int defaultWarmup() {
        return 200;
    }

    /** Measured iterations when {@code --iterations} is not given. */
    default int defaultIterations() {
        return 50;
    }

    /** Every scenario, in the order {@code colony bench} runs them. */
    static List<Scenario> all() {
        return List.of(
                new EventBusScenario(),
                new ConcurrentEventBusScenario(),
                new MessengerScenario(),
                new SnapshotScenario(),
                new LoadScenario());
    }

    static Optional<Scenario> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
