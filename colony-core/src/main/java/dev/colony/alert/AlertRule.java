package dev.colony.alert;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A condition on a {@link Signal} that {@link Alerts} watches: the signal is above (or below) a threshold
 * for at least {@code holdFor}.
 *
 * <p><b>Hysteresis.</b> A firing rule resolves only when the signal is back at or past the clear threshold
 * ({@code <= clearThreshold} for ABOVE, {@code >= clearThreshold} for BELOW), so a signal hovering around
 * the threshold does not flap. <b>Rate limiting and de-duplication.</b> A rule sends one FIRING
 * notification per episode; two FIRING notifications of a rule are at least {@code minInterval} apart (an
 * episode that starts sooner is notified when the interval has passed, if it is still firing, and its
 * RESOLVED is not sent if its FIRING never was); a reminder is re-sent every {@code repeatEvery} while the
 * rule fires, if that is not zero.
 *
 * @param name the rule's name, which is also the last token of its subject {@code colony.alert.<name>}:
 *     1 to 64 characters from {@code [a-z0-9_-]}, starting with a letter or digit
 * @param signal what is watched
 * @param comparison whether the rule fires above or below the threshold
 * @param threshold the value past which (strictly) the condition holds
 * @param clearThreshold the value at or past which a firing rule resolves; on the threshold's safe side
 * @param holdFor how long the condition must hold, evaluation after evaluation, before the rule fires; zero
 *     fires at the first evaluation where it holds
 * @param minInterval the least time between two FIRING notifications of this rule
 * @param repeatEvery how often a firing rule is re-notified; zero for never, otherwise at least minInterval
 */
public record AlertRule(
        String name,
        Signal signal,
        Comparison comparison,
        double threshold,
        double clearThreshold,
        Duration holdFor,
        Duration minInterval,
        Duration repeatEvery) {

    /** The default {@link #minInterval()}. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(1);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public AlertRule {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("alert rule name must be 1 to 64 characters from [a-z0-9_-], starting"
                    + " with a letter or digit (it is a subject token of colony.alert.<name>), got '" + name + "'");
        }
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(comparison, "comparison");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("rule '" + name + "': threshold must be finite, got " + threshold);
        }
        if (!Double.isFinite(clearThreshold) || comparison.breaches(clearThreshold, threshold)) {
            throw new IllegalArgumentException("rule '" + name + "': clearThreshold must be finite and not "
                    + comparison.symbol() + " the threshold " + threshold + ", got " + clearThreshold);
        }
        nonNegative(name, holdFor, "holdFor");
        nonNegative(name, minInterval, "minInterval");
        nonNegative(name, repeatEvery, "repeatEvery");
        if (!repeatEvery.isZero() && repeatEvery.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("rule '" + name + "': repeatEvery must be zero (never) or at least"
                    + " minInterval " + minInterval + ", got " + repeatEvery);
        }
    }

    /**
     * A rule that fires as soon as {@code signal > threshold}, clears at the threshold, and notifies at most
     * once per {@link #DEFAULT_MIN_INTERVAL}; refine it with the {@code with…} methods.
     */
    public static AlertRule above(String name, Signal signal, double threshold) {
        return new AlertRule(
                name,
                signal,
                Comparison.ABOVE,
                threshold,
                threshold,
                Duration.ZERO,
                DEFAULT_MIN_INTERVAL,
                Duration.ZERO);
    }

    /** Like {@link #above}, for {@code signal < threshold}. */
    public static AlertRule below(String name, Signal signal, double threshold) {
        return new AlertRule(
                name,
                signal,
                Comparison.BELOW,
                threshold,
                threshold,
                Duration.ZERO,
                DEFAULT_MIN_INTERVAL,
                Duration.ZERO);
    }

    /** This rule, firing only once the condition has held for {@code duration}. */
    public AlertRule withHoldFor(Duration duration) {
        return new AlertRule(name, signal, comparison, threshold, clearThreshold, duration, minInterval, repeatEvery);
    }

    /** This rule, resolving only at or past {@code clear} (hysteresis). */
    public AlertRule withClearThreshold(double clear) {
        return new AlertRule(name, signal, comparison, threshold, clear, holdFor, minInterval, repeatEvery);
    }

    /** This rule, with at least {@code interval} between two FIRING notifications. */
    public AlertRule withMinInterval(Duration interval) {
        return new AlertRule(name, signal, comparison, threshold, clearThreshold, holdFor, interval, repeatEvery);
    }

    /** This rule, re-notifying every {@code interval} while it fires (zero: never). */
    public AlertRule withRepeatEvery(Duration interval) {
        return new AlertRule(name, signal, comparison, threshold, clearThreshold, holdFor, minInterval, interval);
    }

    /**
     * The rules the demo runs, after the thresholds of the report Colony started from: bus throughput below
     * 50,000 events/s, marshal p99 above 100 µs, snapshot p99 above 0.5 ms, handler error rate above 5%,
     * and ASYNC mailbox depth above 10,000 events, each held for 5 s, clearing 20% inside the threshold.
     */
    public static List<AlertRule> defaults() {
        Duration hold = Duration.ofSeconds(5);
        return List.of(
                below("bus-throughput-low", Signal.rate("colony.bus.published"), 50_000)
                        .withClearThreshold(60_000)
                        .withHoldFor(hold),
                above("marshal-p99-high", Signal.percentile("colony.messenger.marshal", 99), 100_000)
                        .withClearThreshold(80_000)
                        .withHoldFor(hold),
                above("snapshot-p99-high", Signal.percentile("colony.snapshot.duration", 99), 500_000)
                        .withClearThreshold(400_000)
                        .withHoldFor(hold),
                above("error-rate-high", Signal.ratio("colony.bus.failed", "colony.bus.handled"), 0.05)
                        .withClearThreshold(0.04)
                        .withHoldFor(hold),
                above("mailbox-depth-high", Signal.value("colony.bus.queue.depth"), 10_000)
                        .withClearThreshold(8_000)
                        .withHoldFor(hold));
    }

    private static void nonNegative(String name, Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new IllegalArgumentException("rule '" + name + "': " + what + " must not be negative, got " + value);
        }
    }

    /** On which side of the threshold a rule fires. */
    public enum Comparison {
        /** Fires when the signal is greater than the threshold. */
        ABOVE(">", "<="),
        /** Fires when the signal is less than the threshold. */
        BELOW("<", ">=");

        private final String symbol;
        private final String clearSymbol;

        Comparison(String symbol, String clearSymbol) {
            this.symbol = symbol;
            this.clearSymbol = clearSymbol;
        }

        /** Whether {@code value} is strictly past {@code threshold} on this side. */
        public boolean breaches(double value, double threshold) {
            return this == ABOVE ? value > threshold : value < threshold;
        }

        /** Whether {@code value} is at or back past {@code clearThreshold}. */
        public boolean clears(double value, double clearThreshold) {
            return this == ABOVE ? value <= clearThreshold : value >= clearThreshold;
        }

        /** {@code >} or {@code <}. */
        public String symbol() {
            return symbol;
        }

        /** {@code <=} or {@code >=}. */
        public String clearSymbol() {
            return clearSymbol;
        }
    }
}
