package dev.colony.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency histogram that many threads record into without locks (HdrHistogram's {@link Recorder}) and
 * that is read as a {@link LatencySnapshot} of everything recorded so far: what the messengers of every
 * backend report their latencies with.
 *
 * <p>Thread-safe. {@link #record} never blocks and never allocates; {@link #snapshot} swaps the recorder's
 * interval histogram, so writers are never stalled and only readers serialize.
 */
public final class LatencyRecorder {
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3); // guarded by this
    private Histogram interval; // guarded by this; recycled

    /** An empty recorder with three significant digits. */
    public LatencyRecorder() {}

    /** Records one value, in nanoseconds; negative values count as 0. */
    public void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** Percentiles of every value recorded so far. */
    public synchronized LatencySnapshot snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return of(total);
    }

    /** Percentiles of {@code histogram}; {@link LatencySnapshot#EMPTY} when it is empty. */
    static LatencySnapshot of(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return LatencySnapshot.EMPTY;
        }
        return new LatencySnapshot(
                histogram.getTotalCount(),
                histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(95),
                histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9),
                histogram.getMaxValue());
    }
}
