package dev.colony.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution, registered in a {@link MetricsRegistry}: durations in nanoseconds recorded into
 * an HdrHistogram {@link Recorder} with two significant digits (every value is kept within 1%).
 *
 * <h2>Assumptions and guarantees</h2>
 *
 * <ul>
 *   <li>{@link #record} is wait-free: writers never take a lock and are never stalled by readers. Many
 *       threads may record at once.
 *   <li>A read ({@link #snapshot()}, or a {@link MetricsRegistry#snapshot()}) swaps the recorder's active
 *       histogram for an empty one and adds the retired one to the timer's cumulative histogram; readers
 *       serialize among themselves only. No recorded value is lost or counted twice across reads, so the
 *       counts of successive intervals add up to the total (see {@link MetricsSnapshot#since}).
 *   <li>The sum is kept in a separate {@link LongAdder}, so a read concurrent with writers may see a
 *       value's count without its sum or the other way round; both are exact once writers are quiet.
 * </ul>
 */
public final class Timer {
    private final Recorder recorder = new Recorder(2);
    private final LongAdder sumNanos = new LongAdder();
    private final Histogram total = new Histogram(2); // guarded by this
    private Histogram interval; // guarded by this; recycled by the recorder

    Timer() {}

    /** Records one duration in nanoseconds; negative values count as 0. */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        recorder.recordValue(value);
        sumNanos.add(value);
    }

    /** Records one duration. */
    public void record(Duration duration) {
        record(duration.toNanos());
    }

    /** Runs {@code work}, records how long it took (also when it throws), and returns its result. */
    public <T> T time(Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(System.nanoTime() - start);
        }
    }

    /** Percentiles of every value recorded so far. */
    public LatencySnapshot snapshot() {
        synchronized (this) {
            drainLocked();
            return LatencyRecorder.of(total);
        }
    }

    /** A copy of the cumulative histogram, after draining what writers recorded since the last read. */
    Histogram cumulative() {
        synchronized (this) {
            drainLocked();
            return total.copy();
        }
    }

    /** The sum of every recorded value, in nanoseconds. */
    long sumNanos() {
        return sumNanos.sum();
    }

    private void drainLocked() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
    }
}
