package dev.colony.server.auth;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One token bucket per key, lock-free, in the GCRA form (the generic cell rate algorithm): instead of a
 * token count and a refill time, each bucket holds one number, the theoretical arrival time {@code tat} at
 * which the bucket would be full again. A request at {@code now} costs one interval {@code T = 1/rate}:
 * the new {@code tat} is {@code max(tat, now) + T}, admitted when it is at most {@code now + burst * T}.
 * So an idle bucket admits {@code burst} requests at once, then one each {@code T}; a refusal says how long
 * until the next one fits ({@code newTat - now - burst * T}).
 *
 * <p><b>Concurrency.</b> The update is a compare-and-set loop on the bucket's {@link AtomicLong}; a
 * refused request does not change it. Every admitted request advanced {@code tat} by exactly {@code T} from
 * a value the bucket held, so at a fixed {@code now} exactly {@code burst} requests are admitted whatever
 * the interleaving. Times come from a monotonic nanosecond source and are compared by difference, so the
 * source may wrap.
 *
 * <p><b>Memory.</b> The map holds one bucket per key seen; {@link #retain} drops the buckets of keys no
 * longer valid (the guard calls it when the tokens change), so it is bounded by the number of tokens.
 */
final class TokenBuckets {
    private final long interval;
    private final long tolerance;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();

    TokenBuckets(RateLimit limit, LongSupplier nanoTime) {
        this.interval = limit.intervalNanos();
        this.tolerance = tolerance(interval, limit.burst());
        this.nanoTime = nanoTime;
    }

    private static long tolerance(long interval, int burst) {
        try {
            return Math.min(Math.multiplyExact(interval, burst), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4; // years of burst: keep max(tat, now) + interval from overflowing
        }
    }

    /** Takes one request from {@code key}'s bucket: 0 when admitted, else the nanoseconds until one fits. */
    long tryAcquire(String key) {
        long now = nanoTime.getAsLong();
        AtomicLong bucket = buckets.computeIfAbsent(key, k -> new AtomicLong(now));
        while (true) {
            long tat = bucket.get();
            long next = (tat - now > 0 ? tat : now) + interval;
            long wait = next - now - tolerance;
            if (wait > 0) {
                return wait;
            }
            if (bucket.compareAndSet(tat, next)) {
                return 0;
            }
        }
    }

    /** Drops the buckets of keys not in {@code keys}. */
    void retain(Set<String> keys) {
        buckets.keySet().retainAll(keys);
    }

    int size() {
        return buckets.size();
    }
}
