package dev.colony.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a crashed agent is restarted, and how long it waits before each restart.
 *
 * <p>A crash is an exception (or error) thrown by {@link Behavior#onStart} or {@link Behavior#onMessage}.
 * Restart {@code n} (counting from 1) waits {@code initialBackoff × 2^(n-1)}, at most {@code maxBackoff}.
 * The count is never reset: an agent that crashes {@code maxRestarts + 1} times in its whole life is
 * FAILED.
 *
 * @param maxRestarts how many restarts are allowed, 0 or more
 * @param initialBackoff the wait before the first restart, zero or positive
 * @param maxBackoff the longest wait, at least {@code initialBackoff}
 */
public record RestartPolicy(int maxRestarts, Duration initialBackoff, Duration maxBackoff) {
    private static final RestartPolicy DEFAULTS = new RestartPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(5));
    private static final RestartPolicy NEVER = new RestartPolicy(0, Duration.ZERO, Duration.ZERO);

    public RestartPolicy {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be 0 or more, got " + maxRestarts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff must be at least initialBackoff (" + initialBackoff + "), got " + maxBackoff);
        }
    }

    /** Up to 3 restarts, waiting 100 ms, then doubling up to 5 s. */
    public static RestartPolicy defaults() {
        return DEFAULTS; // shared: 10,000 agents need not carry 10,000 copies
    }

    /** No restart: the first crash makes the agent FAILED. */
    public static RestartPolicy never() {
        return NEVER;
    }

    /** The wait before restart {@code restart} (counting from 1). */
    public Duration backoff(int restart) {
        if (restart < 1) {
            throw new IllegalArgumentException("restart must be 1 or more, got " + restart);
        }
        Duration wait = initialBackoff;
        for (int i = 1; i < restart && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) < 0 ? wait : maxBackoff;
    }
}
