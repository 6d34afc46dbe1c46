package dev.colony.validation.scenarios;

import dev.colony.validation.Scenario;
import java.util.List;
import java.util.Optional;

/**
 * The registry of {@code colony bench}'s scenarios: adding one is one line here (see {@link Scenario}).
 */
public final class Scenarios {
    private Scenarios() {}

    /** Every embedded scenario at its full size, in the order {@code colony bench} runs them. */
    public static List<Scenario> embedded() {
        return embedded(false);
    }

    /**
     * Every embedded scenario, in the order {@code colony bench} runs them; with {@code quick}, those whose size
     * is not a matter of iterations alone run smaller ({@code serve-fanout}: 100 subscribers, not 1,000).
     */
    public static List<Scenario> embedded(boolean quick) {
        return List.of(
                new EventBusScenario(),
                new ConcurrentEventBusScenario(),
                new MessengerScenario(),
                new SnapshotScenario(),
                new LoadScenario(),
                new PluginFilterScenario(),
                new ServeScenario(),
                FanOutScenario.of(quick));
    }

    /** The Redis scenarios of {@code colony bench --redis}, in the order they run, on one shared fixture. */
    public static List<Scenario> redis(RedisFixture redis) {
        return List.of(
                new RedisBusScenario(redis),
                new RedisMessengerScenario(redis),
                new RedisTasksScenario(redis, 1),
                new RedisTasksScenario(redis, RedisTasksScenario.BATCH));
    }

    /** The scenario of that name among the embedded and Redis ones (the reports' descriptions). */
    public static Optional<Scenario> named(String name) {
        return embedded().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .or(() -> redis(RedisFixture.of(RedisBench.parse("redis://localhost/x", 0, true))).stream()
                        .filter(s -> s.name().equals(name))
                        .findFirst());
    }
}
