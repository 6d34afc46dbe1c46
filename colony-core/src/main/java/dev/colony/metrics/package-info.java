/**
 * Metrics and alerts: one registry per colony, exporters, and alert rules evaluated against it.
 *
 * <p>{@link dev.colony.metrics.MetricsRegistry} holds {@link dev.colony.metrics.Counter}s, gauges and
 * {@link dev.colony.metrics.Timer}s (HdrHistogram); {@link dev.colony.metrics.MetricsSnapshot} is its content
 * at one moment. {@link dev.colony.metrics.PrometheusText} and {@link dev.colony.metrics.MicrometerBinder}
 * export it (both need an optional dependency). {@link dev.colony.metrics.Alerts} evaluates
 * {@link dev.colony.metrics.AlertRule}s over {@link dev.colony.metrics.Signal}s and sends
 * {@link dev.colony.metrics.Alert}s. The metric names are listed in {@code docs/metrics.md}; decisions: ADR
 * 0012.
 */
package dev.colony.metrics;
