package dev.colony.validation;

import dev.colony.Colony;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a list of scenarios one after another and gathers their results into one {@link BenchReport}, with
 * the run's environment. The settings of every scenario are checked before the first one runs.
 *
 * @param warmup warm-up iterations for every scenario, or null for each scenario's default
 * @param iterations measured iterations for every scenario, or null for each scenario's default
 * @param quick small defaults (1 warm-up, 3 measured iterations): figures for checking, not quoting
 * @param progress where progress lines go, or null for none
 */
public record Harness(Integer warmup, Integer iterations, boolean quick, Progress progress) {

    /**
     * Each scenario's settings, in order.
     *
     * @throws IllegalArgumentException naming {@code --warmup} or {@code --iterations} when one is invalid
     */
    public List<BenchSettings> settings(List<Scenario> scenarios) {
        List<BenchSettings> settings = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            settings.add(new BenchSettings(
                    warmup != null ? warmup : quick ? 1 : scenario.defaultWarmup(),
                    iterations != null ? iterations : quick ? 3 : scenario.defaultIterations(),
                    progress));
        }
        return settings;
    }

    /** Runs {@code scenarios} in order on {@code backend} ("embedded" or "redis") and reports them. */
    public BenchReport run(List<Scenario> scenarios, String backend) throws Exception {
        List<BenchSettings> settings = settings(scenarios);
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        RunEnvironment environment = RunEnvironment.started();
        List<ScenarioResult> results = new ArrayList<>();
        long runStart = System.nanoTime();
        for (int i = 0; i < scenarios.size(); i++) {
            String step = String.format(
                    Locale.ROOT,
                    "[%d/%d] %s",
                    i + 1,
                    scenarios.size(),
                    scenarios.get(i).name());
            results.add(run(scenarios.get(i), settings.get(i), step, runStart));
        }
        return new BenchReport(
                Colony.version(),
                Runtime.version().toString(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                startedAt,
                backend,
                results,
                environment.ended(),
                quick);
    }

    /** Runs one scenario between its progress lines. */
    private static ScenarioResult run(Scenario scenario, BenchSettings s, String step, long runStart) throws Exception {
        s.progress(
                "%s: %d warm-up + %d measured iterations (%.0f s elapsed)",
                step, s.warmup(), s.iterations(), (System.nanoTime() - runStart) / 1e9);
        ScenarioResult result;
        if (s.progress() == null) {
            result = scenario.run(s);
        } else {
            s.progress().scenario(step);
            result = ScopedValue.where(Progress.CURRENT, s.progress()).call(() -> scenario.run(s));
        }
        s.progress(
                "%s: %s/s, verified %d/%d%s",
                step,
                Units.rate(Figure.THROUGHPUT.value(result)),
                result.verified().observed(),
                result.verified().expected(),
                result.verified().ok() ? "" : " WORK LOST OR WRONG");
        return result;
    }
}
