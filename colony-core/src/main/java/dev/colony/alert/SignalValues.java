package dev.colony.alert;

import dev.colony.metrics.MetricsSnapshot;
import dev.colony.metrics.Reading;
import java.time.Duration;

/** Computes a {@link Signal}'s value from registry snapshots. */
final class SignalValues {
    private SignalValues() {}

    /**
     * The value of {@code signal}, or NaN when there is none: no previous evaluation (rates, ratios, timer
     * percentiles), no time elapsed, a denominator that did not grow, no latency values, a missing metric.
     *
     * @param current the cumulative snapshot now
     * @param window the interval snapshot since the previous evaluation, or null at the first one
     * @param elapsed the time since the previous evaluation
     */
    static double of(Signal signal, MetricsSnapshot current, MetricsSnapshot window, Duration elapsed) {
        return switch (signal) {
            case Signal.Value value ->
                switch (current.get(value.metric()).orElse(null)) {
                    case Reading.Count count -> count.value();
                    case Reading.Gauge gauge -> gauge.value();
                    case null, default -> Double.NaN;
                };
            case Signal.Rate rate -> {
                long nanos = elapsed.toNanos();
                yield window == null || nanos <= 0 ? Double.NaN : count(window, rate.counter()) / (nanos / 1e9);
            }
            case Signal.Ratio ratio -> {
                double denominator = window == null ? Double.NaN : count(window, ratio.denominator());
                yield denominator > 0 ? count(window, ratio.numerator()) / denominator : Double.NaN;
            }
            case Signal.Percentile percentile -> {
                Reading.Latency latency =
                        current.get(percentile.latency()).orElse(null) instanceof Reading.Latency l ? l : null;
                if (latency != null && latency.windowed()) {
                    latency = window == null
                            ? null
                            : window.get(percentile.latency()).orElse(null) instanceof Reading.Latency w ? w : null;
                }
                yield latency == null || latency.latency().count() == 0 ? Double.NaN : percentile.of(latency.latency());
            }
        };
    }

    private static double count(MetricsSnapshot snapshot, String name) {
        return snapshot.get(name).orElse(null) instanceof Reading.Count count ? count.value() : Double.NaN;
    }
}
