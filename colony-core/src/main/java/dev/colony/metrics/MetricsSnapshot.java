package dev.colony.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * The readings of every metric of a {@link MetricsRegistry} at one moment, sorted by name; immutable.
 *
 * <p>A snapshot from {@link MetricsRegistry#snapshot()} is cumulative: counters since they were created,
 * timers' percentiles over everything recorded. {@link #since(MetricsSnapshot)} turns two cumulative
 * snapshots into an interval snapshot: counts and timer percentiles of what happened in between, and the
 * gauges' levels at the end. A reader that wants intervals keeps its own previous snapshot, so readers
 * never take intervals away from each other.
 */
public final class MetricsSnapshot {
    private final Instant from;
    private final Instant at;
    private final Map<String, Reading> readings;
    private final Map<String, Histogram> histograms; // cumulative histograms of registry timers; not shared
    private final boolean cumulative;

    MetricsSnapshot(
            Instant from,
            Instant at,
            Map<String, Reading> readings,
            Map<String, Histogram> histograms,
            boolean cumulative) {
        this.cumulative = cumulative;
        this.from = from;
        this.at = at;
        this.readings = Collections.unmodifiableMap(new LinkedHashMap<>(readings));
        this.histograms = Map.copyOf(histograms);
    }

    /** Whether this is a cumulative snapshot (from the registry) rather than an interval one. */
    public boolean cumulative() {
        return cumulative;
    }

    /** When the counts of this snapshot began: the registry's creation, or the earlier snapshot's time. */
    public Instant from() {
        return from;
    }

    /** When the snapshot was taken, by the registry's clock. */
    public Instant at() {
        return at;
    }

    /** The time between {@link #from()} and {@link #at()}. */
    public Duration interval() {
        return Duration.between(from, at);
    }

    /** Every reading, sorted by name. */
    public List<Reading> readings() {
        return List.copyOf(readings.values());
    }

    /** The reading of the metric {@code name}, if it is registered and could be read. */
    public Optional<Reading> get(String name) {
        return Optional.ofNullable(readings.get(name));
    }

    /**
     * The interval snapshot from {@code earlier} to this one: each counter's increase (its current value if
     * it went down, as a counter whose source restarted would), each windowed timer's percentiles of the
     * values recorded in between, gauges and non-windowed latencies as they are now. Metrics registered
     * after {@code earlier} count from zero.
     *
     * @throws IllegalArgumentException if {@code earlier} was taken after this snapshot, or either is an
     *     interval snapshot
     */
    public MetricsSnapshot since(MetricsSnapshot earlier) {
        Objects.requireNonNull(earlier, "earlier");
        if (!cumulative || !earlier.cumulative) {
            throw new IllegalArgumentException("since() takes two cumulative snapshots, not interval snapshots");
        }
        if (earlier.at.isAfter(at)) {
            throw new IllegalArgumentException(
                    "earlier snapshot (" + earlier.at + ") was taken after this one (" + at + ")");
        }
        Map<String, Reading> window = new LinkedHashMap<>();
        for (Reading reading : readings.values()) {
            Reading before = earlier.readings.get(reading.name());
            window.put(
                    reading.name(),
                    switch (reading) {
                        case Reading.Count count
                        when before instanceof Reading.Count old && old.value() <= count.value() ->
                            new Reading.Count(count.name(), count.description(), count.value() - old.value());
                        case Reading.Latency latency
                        when latency.windowed() -> {
                            Histogram interval = histograms.get(latency.name()).copy();
                            Histogram old = earlier.histograms.get(latency.name());
                            long sumBefore = 0;
                            if (old != null && before instanceof Reading.Latency oldLatency) {
                                interval.subtract(old);
                                sumBefore = oldLatency.sumNanos().orElse(0);
                            }
                            yield new Reading.Latency(
                                    latency.name(),
                                    latency.description(),
                                    LatencyRecorder.of(interval),
                                    OptionalLong.of(latency.sumNanos().orElse(0) - sumBefore),
                                    true);
                        }
                        default -> reading;
                    });
        }
        return new MetricsSnapshot(earlier.at, at, window, Map.of(), false);
    }

    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        for (Reading reading : readings.values()) {
            lines.add(
                    switch (reading) {
                        case Reading.Count count -> count.name() + " " + count.value();
                        case Reading.Gauge gauge -> gauge.name() + " " + gauge.value();
                        case Reading.Latency latency -> latency.name() + " " + latency.latency();
                    });
        }
        return "MetricsSnapshot[" + from + " .. " + at + ", " + String.join(", ", lines) + "]";
    }
}
