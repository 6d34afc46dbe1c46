package dev.colony.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A notification from {@link Alerts}: a rule started firing (or is still firing, for a reminder), or
 * resolved. Published on the bus as {@code colony.alert.<rule>} and given to listeners.
 *
 * @param rule the rule
 * @param state {@link AlertState#FIRING} or {@link AlertState#RESOLVED}
 * @param value the signal's value that fired the rule (or, for RESOLVED, that cleared it)
 * @param since when the episode began: the first evaluation at which the condition held
 * @param at when this notification was made, by the evaluator's clock
 */
public record Alert(AlertRule rule, AlertState state, double value, Instant since, Instant at) {
    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(at, "at");
        if (state != AlertState.FIRING && state != AlertState.RESOLVED) {
            throw new IllegalArgumentException("an alert is FIRING or RESOLVED, got " + state);
        }
    }

    /** The rule's threshold. */
    public double threshold() {
        return rule.threshold();
    }

    /** How long the condition had held (for RESOLVED: until it cleared) when this notification was made. */
    public Duration age() {
        return Duration.between(since, at);
    }

    /** One line for people, such as {@code bus-throughput-low FIRING: rate(colony.bus.published) = 1200 < 50000}. */
    public String message() {
        return String.format(
                Locale.ROOT,
                "%s %s: %s = %s %s %s (since %s)",
                rule.name(),
                state,
                rule.signal(),
                format(value),
                state == AlertState.FIRING
                        ? rule.comparison().symbol()
                        : rule.comparison().clearSymbol(),
                format(state == AlertState.FIRING ? rule.threshold() : rule.clearThreshold()),
                since);
    }

    /** A value for people: percentiles (nanoseconds) as µs, ms or s; other values as plain numbers. */
    private String format(double value) {
        if (rule.signal() instanceof Signal.Percentile) {
            double abs = Math.abs(value);
            return abs >= 1e9
                    ? number(value / 1e9) + " s"
                    : abs >= 1e6
                            ? number(value / 1e6) + " ms"
                            : abs >= 1e3 ? number(value / 1e3) + " µs" : number(value) + " ns";
        }
        return number(value);
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return Math.abs(value) >= 100
                ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.4g", value);
    }
}
