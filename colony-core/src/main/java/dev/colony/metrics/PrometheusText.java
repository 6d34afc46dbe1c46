package dev.colony.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a {@link MetricsSnapshot} in the Prometheus text exposition format (version 0.0.4), with the
 * official Prometheus Java client's writer ({@code prometheus-metrics-exposition-textformats}, an optional
 * dependency of colony-core: put it on the class or module path to use this class).
 *
 * <p>Names: dots become underscores ({@code colony.bus.published} → {@code colony_bus_published_total}).
 * Counters are counters ({@code _total}), gauges gauges. A latency becomes a summary in seconds,
 * {@code <name>_seconds}, with quantiles 0.5, 0.95, 0.99 and 0.999, {@code _count}, {@code _sum} when the
 * source keeps one, and a gauge {@code <name>_max_seconds}. Gauges with no value (NaN) are written as NaN.
 *
 * <p>Stateless and thread-safe.
 */
public final class PrometheusText {
    /** The HTTP content type of the text format. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private PrometheusText() {}

    /** The snapshot in the text format. */
    public static String format(MetricsSnapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(snapshot, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the snapshot in the text format, UTF-8, to {@code out} (which stays open).
     *
     * @throws UncheckedIOException if writing fails
     */
    public static void write(MetricsSnapshot snapshot, OutputStream out) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(out, "out");
        try {
            WRITER.write(out, snapshots(snapshot), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Prometheus name of a registry metric: dots become underscores. */
    public static String name(String metric) {
        return metric.replace('.', '_');
    }

    private static MetricSnapshots snapshots(MetricsSnapshot snapshot) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (Reading reading : snapshot.readings()) {
            String name = name(reading.name());
            switch (reading) {
                case Reading.Count count ->
                    out.add(new CounterSnapshot(
                            new MetricMetadata(name, count.description()),
                            List.of(new CounterSnapshot.CounterDataPointSnapshot(
                                    count.value(), Labels.EMPTY, null, 0L))));
                case Reading.Gauge gauge -> out.add(gauge(name, gauge.description(), null, gauge.value()));
                case Reading.Latency latency -> {
                    LatencySnapshot p = latency.latency();
                    Quantiles quantiles = p.count() == 0
                            ? Quantiles.EMPTY
                            : Quantiles.of(
                                    new Quantile(0.5, Unit.nanosToSeconds(p.p50())),
                                    new Quantile(0.95, Unit.nanosToSeconds(p.p95())),
                                    new Quantile(0.99, Unit.nanosToSeconds(p.p99())),
                                    new Quantile(0.999, Unit.nanosToSeconds(p.p999())));
                    double sum = latency.sumNanos().isPresent()
                            ? Unit.nanosToSeconds(latency.sumNanos().getAsLong())
                            : Double.NaN;
                    out.add(new SummarySnapshot(
                            new MetricMetadata(name + "_seconds", latency.description(), Unit.SECONDS),
                            List.of(new SummarySnapshot.SummaryDataPointSnapshot(
                                    p.count(), sum, quantiles, Labels.EMPTY, null, 0L))));
                    out.add(gauge(
                            name + "_max_seconds",
                            "The largest value of " + reading.name() + ".",
                            Unit.SECONDS,
                            Unit.nanosToSeconds(p.max())));
                }
            }
        }
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot gauge(String name, String help, Unit unit, double value) {
        return new GaugeSnapshot(
                unit == null ? new MetricMetadata(name, help) : new MetricMetadata(name, help, unit),
                List.of(new GaugeSnapshot.GaugeDataPointSnapshot(value, Labels.EMPTY, null)));
    }
}
