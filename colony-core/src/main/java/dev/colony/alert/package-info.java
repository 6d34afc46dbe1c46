/**
 * Alerts: rules evaluated against a colony's metrics, sent on the bus and to listeners.
 *
 * <p>{@link dev.colony.alert.Alerts} evaluates {@link dev.colony.alert.AlertRule}s over
 * {@link dev.colony.alert.Signal}s (a value, a rate, a ratio or a percentile of the
 * {@link dev.colony.metrics.MetricsRegistry}) with hold, hysteresis and rate limiting, and sends
 * {@link dev.colony.alert.Alert}s on {@code colony.alert.<rule>} and to listeners. Decisions: ADR 0012; why
 * it is a package of its own (it reads metrics and publishes on the bus): ADR 0025.
 */
package dev.colony.alert;
