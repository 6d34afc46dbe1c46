/**
 * Metrics: one registry per colony, its exporters, and latency recording.
 *
 * <p>{@link dev.colony.metrics.MetricsRegistry} holds {@link dev.colony.metrics.Counter}s, gauges and
 * {@link dev.colony.metrics.Timer}s (HdrHistogram); {@link dev.colony.metrics.MetricsSnapshot} is its content
 * at one moment. {@link dev.colony.metrics.PrometheusText} and {@link dev.colony.metrics.MicrometerBinder}
 * export it (both need an optional dependency). {@link dev.colony.metrics.LatencyRecorder} is the latency
 * histogram every backend records into. Alert rules evaluated against the registry are in
 * {@code dev.colony.alert}. The metric names are listed in {@code docs/metrics.md}; decisions: ADR 0012.
 * This package depends on no other package of Colony's (ADR 0025).
 */
package dev.colony.metrics;
