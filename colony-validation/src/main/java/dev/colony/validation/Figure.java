package dev.colony.validation;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** A headline figure of a scenario, with which direction is better and where its per-iteration values are. */
public enum Figure {
    THROUGHPUT("throughput", true, ScenarioResult::throughputPerSec, Measurement.PerIteration::throughputPerSec),
    P50("p50", false, r -> r.latencyUs().p50(), Measurement.PerIteration::p50),
    P95("p95", false, r -> r.latencyUs().p95(), Measurement.PerIteration::p95),
    P99("p99", false, r -> r.latencyUs().p99(), Measurement.PerIteration::p99),
    P999("p99.9", false, r -> r.latencyUs().p999(), Measurement.PerIteration::p999),
    MAX("max", false, r -> r.latencyUs().max(), Measurement.PerIteration::max);

    public final String label;
    public final boolean higherIsBetter;
    private final ToDoubleFunction<ScenarioResult> headline;
    private final Function<Measurement.PerIteration, List<Double>> values;

    Figure(
            String label,
            boolean higherIsBetter,
            ToDoubleFunction<ScenarioResult> headline,
            Function<Measurement.PerIteration, List<Double>> values) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
        this.headline = headline;
        this.values = values;
    }

    /** The figure's spread over the result's iterations (no spread for files without per-iteration values). */
    public Spread spread(ScenarioResult result) {
        List<Double> perIteration = result.perIteration() == null ? List.of() : values.apply(result.perIteration());
        return Spread.of(perIteration, headline.applyAsDouble(result));
    }

    /**
     * The figure as every report and {@code --compare} state it: the median over the measured iterations of
     * the figure taken in each iteration (for a file without per-iteration figures, its headline).
     */
    public double value(ScenarioResult result) {
        return spread(result).median();
    }

    /** The figure written with its unit: "600k/s", "2.88 ms". */
    public String format(double value) {
        return this == THROUGHPUT ? Units.rate(value) + "/s" : Units.micros(value);
    }

    /** The latency percentiles as the reports state them: each the median over the iterations. */
    public static ScenarioResult.Latency latency(ScenarioResult r) {
        return new ScenarioResult.Latency(P50.value(r), P95.value(r), P99.value(r), P999.value(r), MAX.value(r));
    }

    public double headline(ScenarioResult result) {
        return headline.applyAsDouble(result);
    }

    /** The latency percentiles in order, for charts: p50, p95, p99, p99.9, max. */
    public static final List<Figure> LATENCY = List.of(P50, P95, P99, P999, MAX);
}
