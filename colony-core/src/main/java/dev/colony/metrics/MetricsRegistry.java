package dev.colony.metrics;

import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * One registry of named metrics for a whole colony: {@link Counter}s, gauges, {@link Timer}s, and
 * read-only views of figures that components already keep (function counters, gauges and latency
 * sources). Every colony has one ({@code colony.metrics()}); exporters ({@link PrometheusText},
 * {@link MicrometerBinder}) and {@link dev.colony.alert.Alerts} read it through {@link #snapshot()}.
 *
 * <p><b>Names</b> are dotted lowercase, such as {@code colony.bus.published}: tokens of {@code [a-z0-9_]}
 * starting with a letter, separated by single dots, at most {@value #MAX_NAME_LENGTH} characters. A name
 * is registered once; {@link #counter(String, String)} and {@link #timer(String, String)} return the
 * existing metric when asked again for the same kind.
 *
 * <p><b>Threads.</b> Thread-safe. Recording into counters and timers never blocks (see {@link Timer}).
 * Function metrics and gauges are read when a snapshot is taken, on the reading thread; their sources are
 * assumed to be cheap and thread-safe. A source that throws is left out of that snapshot and counted in
 * {@link #failedReads()}.
 */
public final class MetricsRegistry {
    /** The longest metric name accepted. */
    public static final int MAX_NAME_LENGTH = 128;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private final InstantSource clock;
    private final Instant created;
    private final ConcurrentSkipListMap<String, Meter> meters = new ConcurrentSkipListMap<>();
    private final LongAdder failedReads = new LongAdder();

    private MetricsRegistry(InstantSource clock) {
        this.clock = clock;
        this.created = clock.instant();
    }

    /** An empty registry on the system clock. */
    public static MetricsRegistry create() {
        return new MetricsRegistry(InstantSource.system());
    }

    /** An empty registry whose snapshots are stamped by {@code clock}. */
    public static MetricsRegistry create(InstantSource clock) {
        return new MetricsRegistry(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The counter {@code name}, created on first use.
     *
     * @throws IllegalArgumentException if the name is invalid, or registered as another kind of metric
     */
    public Counter counter(String name, String description) {
        Meter meter = meters.computeIfAbsent(checkName(name), key -> new CounterMeter(description(description)));
        if (meter instanceof CounterMeter counter) {
            return counter.counter;
        }
        throw taken(name, meter);
    }

    /**
     * Registers a counter read from {@code count} when a snapshot is taken: for figures a component already
     * counts. The source must never decrease.
     *
     * @throws IllegalArgumentException if the name is invalid or already registered
     */
    public void counter(String name, String description, LongSupplier count) {
        register(name, new FunctionCounterMeter(description(description), Objects.requireNonNull(count, "count")));
    }

    /**
     * Registers a gauge read from {@code value} when a snapshot is taken.
     *
     * @throws IllegalArgumentException if the name is invalid or already registered
     */
    public void gauge(String name, String description, DoubleSupplier value) {
        register(name, new GaugeMeter(description(description), Objects.requireNonNull(value, "value")));
    }

    /**
     * The timer {@code name}, created on first use.
     *
     * @throws IllegalArgumentException if the name is invalid, or registered as another kind of metric
     */
    public Timer timer(String name, String description) {
        Meter meter = meters.computeIfAbsent(checkName(name), key -> new TimerMeter(description(description)));
        if (meter instanceof TimerMeter timer) {
            return timer.timer;
        }
        throw taken(name, meter);
    }

    /**
     * Registers a latency distribution that a component keeps itself, read from {@code source} when a
     * snapshot is taken. Such a source reports percentiles since it started, so its interval snapshots are
     * cumulative too ({@link Reading.Latency#windowed()} is false).
     *
     * @throws IllegalArgumentException if the name is invalid or already registered
     */
    public void latency(String name, String description, Supplier<LatencySnapshot> source) {
        register(name, new LatencyMeter(description(description), Objects.requireNonNull(source, "source")));
    }

    /**
     * Removes the metric {@code name}, for a component that registered it and is closing, so that a successor
     * can register the same name. A {@link Counter} or {@link Timer} handed out before still counts, but is no
     * longer read.
     *
     * @return whether the name was registered
     */
    public boolean remove(String name) {
        return meters.remove(Objects.requireNonNull(name, "name")) != null;
    }

    /** The registered names, sorted. */
    public Set<String> names() {
        return Set.copyOf(meters.keySet());
    }

    /** Reads of function counters, gauges and latency sources that threw, so far. */
    public long failedReads() {
        return failedReads.sum();
    }

    /**
     * Reads every metric now: a cumulative snapshot. Writers are not stalled (timers swap their interval
     * histograms); gauges and function metrics are read one after another, so the snapshot is not one
     * atomic cut across metrics.
     */
    public MetricsSnapshot snapshot() {
        Instant at = clock.instant();
        Map<String, Reading> readings = new LinkedHashMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (Map.Entry<String, Meter> entry : meters.entrySet()) {
            Reading reading = read(entry.getKey(), entry.getValue(), histograms);
            if (reading != null) {
                readings.put(entry.getKey(), reading);
            }
        }
        return new MetricsSnapshot(created.isAfter(at) ? at : created, at, readings, histograms, true);
    }

    /**
     * Reads one metric now, as it would appear in a cumulative {@link #snapshot()}; empty if it is not
     * registered or its source threw.
     */
    public Optional<Reading> read(String name) {
        Meter meter = meters.get(Objects.requireNonNull(name, "name"));
        return meter == null ? Optional.empty() : Optional.ofNullable(read(name, meter, null));
    }

    /** The reading of one meter, or null if its source threw; timers add their histogram to {@code histograms}. */
    private Reading read(String name, Meter meter, Map<String, Histogram> histograms) {
        try {
            return switch (meter) {
                case CounterMeter m -> new Reading.Count(name, m.description, m.counter.count());
                case FunctionCounterMeter m -> new Reading.Count(name, m.description, m.count.getAsLong());
                case GaugeMeter m -> new Reading.Gauge(name, m.description, m.value.getAsDouble());
                case LatencyMeter m ->
                    new Reading.Latency(name, m.description, m.source.get(), OptionalLong.empty(), false);
                case TimerMeter m -> {
                    long sum = m.timer.sumNanos();
                    LatencySnapshot latency;
                    if (histograms == null) {
                        latency = m.timer.snapshot(); // a single read needs no copy of the histogram
                    } else {
                        Histogram histogram = m.timer.cumulative();
                        histograms.put(name, histogram);
                        latency = LatencyRecorder.of(histogram);
                    }
                    yield new Reading.Latency(name, m.description, latency, OptionalLong.of(sum), true);
                }
            };
        } catch (RuntimeException e) {
            failedReads.increment();
            return null;
        }
    }

    private void register(String name, Meter meter) {
        Meter existing = meters.putIfAbsent(checkName(name), meter);
        if (existing != null) {
            throw taken(name, existing);
        }
    }

    private static IllegalArgumentException taken(String name, Meter existing) {
        return new IllegalArgumentException("metric '" + name + "' is already registered as a " + existing.kind());
    }

    /**
     * Returns {@code name} if it is a valid metric name (dotted lowercase tokens of {@code [a-z0-9_]}).
     *
     * @throws IllegalArgumentException quoting the name otherwise
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "metric name");
        if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name must be dotted lowercase tokens of [a-z0-9_] such as"
                    + " 'colony.bus.published', at most " + MAX_NAME_LENGTH + " characters, got '" + name + "'");
        }
        return name;
    }

    private static String description(String description) {
        return Objects.requireNonNull(description, "description");
    }

    /** A registered metric and how to read it. */
    private sealed interface Meter {
        String kind();
    }

    private record CounterMeter(String description, Counter counter) implements Meter {
        CounterMeter(String description) {
            this(description, new Counter());
        }

        @Override
        public String kind() {
            return "counter";
        }
    }

    private record FunctionCounterMeter(String description, LongSupplier count) implements Meter {
        @Override
        public String kind() {
            return "function counter";
        }
    }

    private record GaugeMeter(String description, DoubleSupplier value) implements Meter {
        @Override
        public String kind() {
            return "gauge";
        }
    }

    private record TimerMeter(String description, Timer timer) implements Meter {
        TimerMeter(String description) {
            this(description, new Timer());
        }

        @Override
        public String kind() {
            return "timer";
        }
    }

    private record LatencyMeter(String description, Supplier<LatencySnapshot> source) implements Meter {
        @Override
        public String kind() {
            return "latency source";
        }
    }
}
