package dev.colony.alert;

import java.time.Duration;
import java.time.Instant;

/**
 * The state machine of one {@link AlertRule}: OK → PENDING → FIRING → (RESOLVED) OK, with hysteresis,
 * rate limiting and de-duplication. Not thread-safe: {@link Alerts} calls it under its lock.
 */
final class RuleTracker {
    private final AlertRule rule;
    private AlertState state = AlertState.OK;
    private Instant since; // when the condition began to hold; null while OK
    private Instant lastFiringNotice; // across episodes, for the rate limit
    private boolean episodeNotified;
    private boolean episodeSuppressed;
    private double lastValue = Double.NaN;
    private long suppressed;

    RuleTracker(AlertRule rule) {
        this.rule = rule;
    }

    AlertRule rule() {
        return rule;
    }

    AlertState state() {
        return state;
    }

    double lastValue() {
        return lastValue;
    }

    /** Episodes whose FIRING notification the rate limit held back. */
    long suppressed() {
        return suppressed;
    }

    /** Takes the signal's value at {@code now}; returns the notification to send, or null. NaN: no data. */
    Alert update(double value, Instant now) {
        if (Double.isNaN(value)) {
            return null; // no data: the state stays as it was
        }
        lastValue = value;
        boolean breached = rule.comparison().breaches(value, rule.threshold());
        return switch (state) {
            case OK -> {
                if (!breached) {
                    yield null;
                }
                state = AlertState.PENDING;
                since = now;
                yield fireIfHeld(value, now);
            }
            case PENDING -> {
                if (!breached) {
                    state = AlertState.OK;
                    since = null;
                    yield null;
                }
                yield fireIfHeld(value, now);
            }
            case FIRING -> firing(value, now);
            case RESOLVED -> throw new IllegalStateException("a tracker is never left RESOLVED");
        };
    }

    private Alert fireIfHeld(double value, Instant now) {
        if (Duration.between(since, now).compareTo(rule.holdFor()) < 0) {
            return null;
        }
        state = AlertState.FIRING;
        episodeNotified = false;
        episodeSuppressed = false;
        return notifyIfAllowed(value, now);
    }

    private Alert firing(double value, Instant now) {
        if (rule.comparison().clears(value, rule.clearThreshold())) {
            Alert resolved = episodeNotified ? new Alert(rule, AlertState.RESOLVED, value, since, now) : null;
            state = AlertState.OK;
            since = null;
            return resolved;
        }
        if (!episodeNotified) {
            return notifyIfAllowed(value, now); // held back by the rate limit so far
        }
        if (!rule.repeatEvery().isZero() && !now.isBefore(lastFiringNotice.plus(rule.repeatEvery()))) {
            lastFiringNotice = now;
            return new Alert(rule, AlertState.FIRING, value, since, now);
        }
        return null;
    }

    private Alert notifyIfAllowed(double value, Instant now) {
        if (lastFiringNotice != null && now.isBefore(lastFiringNotice.plus(rule.minInterval()))) {
            if (!episodeSuppressed) {
                episodeSuppressed = true;
                suppressed++;
            }
            return null;
        }
        lastFiringNotice = now;
        episodeNotified = true;
        return new Alert(rule, AlertState.FIRING, value, since, now);
    }
}
