package dev.colony.wasm;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleConsumer;

/**
 * The opt-in decision cache of one subject-deterministic filter version: subject → accept/reject.
 *
 * <p>Bounded by {@code capacity} subjects; when full, an arbitrary subject is evicted (counted) before a
 * new one is added. It lives in the plugin version, so a deploy starts an empty one (the old decisions are
 * never served by the new code). Content-keyed caching is not offered: on streams with unique ids it
 * would never hit.
 *
 * <p><b>Hit-rate alert.</b> After {@code warmup} lookups, each window of {@value #WINDOW} lookups whose hit
 * rate is below {@value #ALERT_BELOW} calls {@code onLowHitRate} once; the alert re-arms when a window is at
 * or above it. Thread-safe; the window bookkeeping is approximate under contention (a window may be
 * judged a few lookups early or late), which does not change what it reports.
 */
final class DecisionCache {
    static final int WINDOW = 1000;
    static final double ALERT_BELOW = 0.8;

    private final int capacity;
    private final long warmup;
    private final DoubleConsumer onLowHitRate;
    private final ConcurrentHashMap<String, Boolean> decisions = new ConcurrentHashMap<>();
    private final AtomicLong lookups = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private long windowHits; // guarded by this
    private boolean firing; // guarded by this

    DecisionCache(int capacity, long warmup, DoubleConsumer onLowHitRate) {
        this.capacity = capacity;
        this.warmup = warmup;
        this.onLowHitRate = onLowHitRate;
    }

    /** The cached decision for {@code subject}, or null (a miss); counts the lookup. */
    Boolean get(String subject) {
        Boolean decision = decisions.get(subject);
        if (decision != null) {
            hits.increment();
        }
        long n = lookups.incrementAndGet();
        if (n == warmup) {
            startWindow();
        } else if (n > warmup && (n - warmup) % WINDOW == 0) {
            judgeWindow();
        }
        return decision;
    }

    void put(String subject, boolean decision) {
        if (decisions.size() >= capacity && !decisions.containsKey(subject)) {
            Iterator<String> oldest = decisions.keySet().iterator();
            if (oldest.hasNext() && decisions.remove(oldest.next()) != null) {
                evictions.increment();
            }
        }
        decisions.put(subject, decision);
    }

    private synchronized void startWindow() {
        windowHits = hits.sum();
    }

    private void judgeWindow() {
        double rate;
        synchronized (this) {
            long total = hits.sum();
            rate = (double) (total - windowHits) / WINDOW;
            windowHits = total;
            if (rate >= ALERT_BELOW) {
                firing = false;
                return;
            }
            if (firing) {
                return;
            }
            firing = true;
        }
        onLowHitRate.accept(rate);
    }

    CacheStats stats() {
        long h = hits.sum();
        return new CacheStats(h, lookups.get() - h, decisions.size(), evictions.sum());
    }
}
