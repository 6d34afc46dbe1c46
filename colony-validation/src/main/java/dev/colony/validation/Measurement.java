package dev.colony.validation;

import dev.colony.metrics.LatencySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The measured iterations of one scenario variant: each iteration's duration and verified counts, plus a
 * latency histogram in nanoseconds. Reports the median iteration and the spread; never a mean alone.
 */
public final class Measurement {
    private final long operations;
    private final List<Long> nanos = new ArrayList<>();
    private final List<ScenarioResult.Latency> latencyPerIteration = new ArrayList<>();
    private long expected;
    private long observed;
    private long warmupExpected;
    private long warmupObserved;
    public final Histogram latency = new Histogram(3_600_000_000_000L, 3);
    private Histogram latencyMark = new Histogram(3_600_000_000_000L, 3);

    public Measurement(long operations) {
        this.operations = operations;
    }

    /**
     * Records one measured iteration. Latency recorded into {@link #latency} since the last mark becomes this
     * iteration's latency figures (see {@link #latencyIteration()}).
     */
    public void iteration(long elapsedNanos, long expectedUnits, long observedUnits) {
        nanos.add(elapsedNanos);
        expected += expectedUnits;
        observed += observedUnits;
        latencyIteration();
        if (Progress.CURRENT.isBound()) {
            Progress.CURRENT.get().iteration(nanos.size(), operations, elapsedNanos);
        }
    }

    /**
     * Records the counts of one warm-up iteration: not timed and not in the spread, but verified with the rest,
     * so that work lost while warming up still fails the run.
     */
    public void warmup(long expectedUnits, long observedUnits) {
        warmupExpected += expectedUnits;
        warmupObserved += observedUnits;
    }

    /**
     * Closes one iteration's latency: the values recorded since the previous mark are kept as that iteration's
     * percentiles. For scenarios that time latency in separate iterations; a no-op when nothing was recorded.
     */
    public void latencyIteration() {
        if (latency.getTotalCount() == latencyMark.getTotalCount()) {
            return;
        }
        Histogram interval = latency.copy();
        interval.subtract(latencyMark);
        latencyPerIteration.add(percentiles(interval));
        latencyMark = latency.copy();
    }

    /** Each measured iteration's figures, in order: the spread behind the median. */
    public PerIteration perIteration() {
        List<Double> throughput = new ArrayList<>(nanos.size());
        for (long n : nanos) {
            throughput.add(round(operations / (n / 1e9)));
        }
        return new PerIteration(
                throughput,
                latencyPerIteration.stream().map(ScenarioResult.Latency::p50).toList(),
                latencyPerIteration.stream().map(ScenarioResult.Latency::p95).toList(),
                latencyPerIteration.stream().map(ScenarioResult.Latency::p99).toList(),
                latencyPerIteration.stream().map(ScenarioResult.Latency::p999).toList(),
                latencyPerIteration.stream().map(ScenarioResult.Latency::max).toList());
    }

    /**
     * Every measured iteration's value of each headline figure (latency in microseconds). The latency lists
     * are empty when the scenario has no latency, and may be shorter than the throughput list when latency is
     * timed in separate iterations.
     */
    public record PerIteration(
            List<Double> throughputPerSec,
            List<Double> p50,
            List<Double> p95,
            List<Double> p99,
            List<Double> p999,
            List<Double> max) {
        public PerIteration {
            throughputPerSec = List.copyOf(throughputPerSec);
            p50 = List.copyOf(p50);
            p95 = List.copyOf(p95);
            p99 = List.copyOf(p99);
            p999 = List.copyOf(p999);
            max = List.copyOf(max);
        }
    }

    public long operations() {
        return operations;
    }

    public int iterations() {
        return nanos.size();
    }

    /** Units every iteration should have verified, warm-up iterations included. */
    public long expected() {
        return warmupExpected + expected;
    }

    /** Units every iteration verified, warm-up iterations included. */
    public long observed() {
        return warmupObserved + observed;
    }

    public boolean verified() {
        return expected() == observed();
    }

    public double medianSeconds() {
        long[] sorted = sorted();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e9;
    }

    public double throughput() {
        return operations / medianSeconds();
    }

    /** Throughput of the slowest and fastest iterations, and the relative spread between them. */
    public ThroughputSpread spread() {
        long[] sorted = sorted();
        double best = operations / (sorted[0] / 1e9);
        double worst = operations / (sorted[sorted.length - 1] / 1e9);
        return new ThroughputSpread(round(worst), round(best), round(100.0 * (best - worst) / throughput()));
    }

    public ScenarioResult.Latency latencyUs() {
        return percentiles(latency);
    }

    public static ScenarioResult.Latency percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new ScenarioResult.Latency(0, 0, 0, 0, 0);
        }
        return new ScenarioResult.Latency(
                micros(h.getValueAtPercentile(50)),
                micros(h.getValueAtPercentile(95)),
                micros(h.getValueAtPercentile(99)),
                micros(h.getValueAtPercentile(99.9)),
                micros(h.getMaxValue()));
    }

    private long[] sorted() {
        if (nanos.isEmpty()) {
            throw new IllegalStateException("no measured iteration");
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** A latency snapshot of Colony's own metrics, in microseconds. */
    public static ScenarioResult.Latency micros(LatencySnapshot s) {
        return new ScenarioResult.Latency(
                micros(s.p50()), micros(s.p95()), micros(s.p99()), micros(s.p999()), micros(s.max()));
    }

    public static double micros(long nanos) {
        return round(nanos / 1000.0);
    }

    public static double round(double value) {
        if (Math.abs(value) >= 1000) {
            return Math.round(value * 10) / 10.0;
        }
        return Math.round(value * 1000) / 1000.0;
    }
}
