package dev.colony.metrics;

/**
 * Percentiles of a latency distribution, from an HdrHistogram. The maximum is reported as the maximum,
 * never as a percentile.
 *
 * @param count recorded values
 * @param p50 median, in nanoseconds
 * @param p95 95th percentile, in nanoseconds
 * @param p99 99th percentile, in nanoseconds
 * @param p999 99.9th percentile, in nanoseconds
 * @param max largest recorded value, in nanoseconds
 */
public record LatencySnapshot(long count, long p50, long p95, long p99, long p999, long max) {
    public static final LatencySnapshot EMPTY = new LatencySnapshot(0, 0, 0, 0, 0, 0);
}
