package dev.colony.server.auth;

/**
 * A per-principal rate limit: a token bucket that refills at {@code perSecond} requests a second and holds
 * at most {@code burst}. A principal that has been idle may send {@code burst} requests at once, then
 * {@code perSecond} a second; a request over the limit is refused with 429 and the time until one more is
 * admitted.
 *
 * <p>The default, {@link #DEFAULT}, is 100 requests a second with a burst of 200: an agent's loop of
 * claim, progress, finish, heartbeats and inbox reads needs a few a second; 100 leaves room for fan-out
 * bursts while one runaway client cannot take the whole server. Benchmarks and trusted fleets raise it or
 * use {@link #UNLIMITED}.
 *
 * @param perSecond the sustained rate, from 0.001 to 1,000,000,000; infinite for no limit
 * @param burst the bucket's capacity, at least 1
 */
public record RateLimit(double perSecond, int burst) {
    /** 100 requests a second, bursts of 200. */
    public static final RateLimit DEFAULT = new RateLimit(100, 200);

    /** No limit. */
    public static final RateLimit UNLIMITED = new RateLimit(Double.POSITIVE_INFINITY, Integer.MAX_VALUE);

    /** Validates both values; the message quotes the bad one. */
    public RateLimit {
        if (!(perSecond >= 0.001) || (perSecond > 1e9 && perSecond != Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                    "rate limit perSecond must be from 0.001 to 1e9 (or infinite), got " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("rate limit burst must be at least 1, got " + burst);
        }
    }

    /** Whether this limit admits everything. */
    public boolean unlimited() {
        return perSecond == Double.POSITIVE_INFINITY;
    }

    /** The time one request's share of the bucket takes to refill, in nanoseconds (at least 1). */
    long intervalNanos() {
        return Math.max(1, Math.round(1e9 / perSecond));
    }
}
