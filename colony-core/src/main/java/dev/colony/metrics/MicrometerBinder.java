package dev.colony.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds every metric of a {@link MetricsRegistry} to a Micrometer {@link MeterRegistry}, so a colony shows
 * up in the monitoring its users already run. Micrometer ({@code io.micrometer:micrometer-core}) is an
 * optional dependency of colony-core: put it on the class or module path to use this class.
 *
 * <p>Every meter reads the Colony registry when Micrometer reads it (nothing is copied or scheduled):
 *
 * <ul>
 *   <li>a counter becomes a {@link FunctionCounter} of the same name;
 *   <li>a gauge becomes a {@link Gauge} of the same name;
 *   <li>a {@link Timer} becomes a {@link FunctionTimer} of the same name (count and total time), plus a
 *       {@link TimeGauge} {@code <name>.percentile} per percentile, tagged {@code phi} = 0.5, 0.95, 0.99,
 *       0.999 (Micrometer's own naming for client-side percentiles), and a TimeGauge {@code <name>.max};
 *   <li>a latency source (which keeps no sum) becomes the same percentile and max gauges and a
 *       {@link FunctionCounter} {@code <name>.count}.
 * </ul>
 *
 * Percentiles are cumulative (since the timer or source started): Micrometer pulls values, and the
 * interval belongs to each Micrometer backend. Metrics registered after {@link #bindTo} are not bound;
 * binding again adds them (Micrometer ignores meters it already has).
 */
@SuppressWarnings("exports") // Micrometer is optional (requires static), so not required transitively
public final class MicrometerBinder implements MeterBinder {
    private static final List<Double> PHIS = List.of(0.5, 0.95, 0.99, 0.999);

    private final MetricsRegistry metrics;

    /** A binder of {@code metrics}' meters. */
    public MicrometerBinder(MetricsRegistry metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        for (String name : metrics.names()) {
            switch (metrics.read(name).orElse(null)) {
                case Reading.Count count ->
                    FunctionCounter.builder(name, metrics, m -> count(m, name))
                            .description(count.description())
                            .register(registry);
                case Reading.Gauge gauge ->
                    Gauge.builder(name, metrics, m -> gauge(m, name))
                            .description(gauge.description())
                            .register(registry);
                case Reading.Latency latency -> bindLatency(registry, latency);
                case null -> {} // its source throws now; bind it when binding again
            }
        }
    }

    private void bindLatency(MeterRegistry registry, Reading.Latency latency) {
        String name = latency.name();
        if (latency.sumNanos().isPresent()) {
            FunctionTimer.builder(
                            name,
                            metrics,
                            m -> (long) latencyOf(m, name, l -> l.latency().count()),
                            m -> latencyOf(m, name, l -> l.sumNanos().orElse(0)),
                            TimeUnit.NANOSECONDS)
                    .description(latency.description())
                    .register(registry);
        } else {
            FunctionCounter.builder(
                            name + ".count",
                            metrics,
                            m -> latencyOf(m, name, l -> l.latency().count()))
                    .description("Values recorded in " + name + ".")
                    .register(registry);
        }
        for (double phi : PHIS) {
            TimeGauge.builder(
                            name + ".percentile",
                            metrics,
                            TimeUnit.NANOSECONDS,
                            m -> latencyOf(m, name, l -> {
                                LatencySnapshot p = l.latency();
                                return phi == 0.5 ? p.p50() : phi == 0.95 ? p.p95() : phi == 0.99 ? p.p99() : p.p999();
                            }))
                    .tag("phi", String.valueOf(phi))
                    .description(latency.description())
                    .register(registry);
        }
        TimeGauge.builder(
                        name + ".max",
                        metrics,
                        TimeUnit.NANOSECONDS,
                        m -> latencyOf(m, name, l -> l.latency().max()))
                .description("The largest value of " + name + ".")
                .register(registry);
    }

    private static double count(MetricsRegistry metrics, String name) {
        return metrics.read(name).orElse(null) instanceof Reading.Count count ? count.value() : Double.NaN;
    }

    private static double gauge(MetricsRegistry metrics, String name) {
        return metrics.read(name).orElse(null) instanceof Reading.Gauge gauge ? gauge.value() : Double.NaN;
    }

    private static double latencyOf(MetricsRegistry metrics, String name, ToDoubleFunction<Reading.Latency> field) {
        return metrics.read(name).orElse(null) instanceof Reading.Latency latency
                ? field.applyAsDouble(latency)
                : Double.NaN;
    }
}
