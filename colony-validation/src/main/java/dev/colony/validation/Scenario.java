package dev.colony.validation;

/**
 * One workload of {@code colony bench}, as defined in docs/workloads.md: it does real work through Colony's
 * public API, checks every unit of it, and returns what it measured.
 *
 * <h2>Adding a scenario</h2>
 *
 * One class and one line: implement this interface in {@code dev.colony.validation.scenarios} and add an
 * instance to {@code Scenarios.embedded()} (or {@code Scenarios.redis(...)} when it needs the shared Redis
 * fixture). Inside {@link #run}:
 *
 * <ol>
 *   <li>time the work with {@link Loop#measure}, the one warm-up/measure loop: it runs {@code
 *       settings.warmup()} iterations that are thrown away, then {@code settings.iterations()} that are
 *       recorded, each returning a {@code Loop.Tally} of its nanoseconds and the units it verified;
 *   <li>put the scenario's own figures in a record of its own (component names become the JSON's snake_case
 *       keys under {@code details});
 *   <li>return {@link ScenarioResult#of}: the headline measurement, the target and the details; add a same-run
 *       baseline with {@link ScenarioResult#with}.
 * </ol>
 *
 * A scenario never judges itself: Colony's goals are declared and judged in {@link Goals}, from the figures.
 * Add a goal for a new scenario there, and a row to docs/workloads.md.
 */
public interface Scenario {
    /** The stable name: the {@code --scenario} value and the JSON {@code name}. */
    String name();

    /** One line for {@code colony bench --list} and the reports. */
    String description();

    /**
     * Runs the workload: warm-up and measured iterations as {@code settings} says, every unit checked.
     *
     * @throws Exception when the workload cannot run at all (a unit of work that fails its check is counted,
     *     not thrown)
     */
    ScenarioResult run(BenchSettings settings) throws Exception;

    /** Warm-up iterations when {@code --warmup} is not given: enough for the JIT to settle. */
    default int defaultWarmup() {
        return 200;
    }

    /** Measured iterations when {@code --iterations} is not given. */
    default int defaultIterations() {
        return 50;
    }
}
