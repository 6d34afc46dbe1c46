package dev.colony.server.dashboard;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subjects the accounts publish on through the API ({@code POST /v1/events/{subject}}), with their event
 * counts and rates. Counted from the API's successful answers as they pass through the dashboard's handler,
 * not by a bus subscription: one would add itself to every publish's {@code matched} count.
 *
 * <p>Bounded: at most {@value #MAX_SUBJECTS} distinct subjects are counted; events on further subjects are
 * counted in {@link #overflow()} only. Rates are over the time since the previous look, at least one second
 * apart. Thread-safe.
 */
final class Subjects {
    static final int MAX_SUBJECTS = 10_000;

    /** A subject's events so far and per second lately. */
    record Rate(long total, double perSecond) {}

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicLong overflow = new AtomicLong();
    private Map<String, Long> previous = Map.of();
    private long previousAtNanos = System.nanoTime();
    private Map<String, Double> rates = Map.of();

    /** Counts one event the account published on {@code subject}. */
    void published(String account, String local) {
        String subject = stored(account, local);
        LongAdder n = counts.get(subject);
        if (n == null) {
            if (counts.size() >= MAX_SUBJECTS) {
                overflow.incrementAndGet();
                return;
            }
            n = counts.computeIfAbsent(subject, s -> new LongAdder());
        }
        n.increment();
    }

    /** The bus subject of an account's subject (ADR 0030). */
    static String stored(String account, String local) {
        return "acct." + account + "." + local;
    }

    /** The account's subjects (without the {@code acct.<account>.} prefix), sorted, with counts and rates. */
    synchronized TreeMap<String, Rate> of(String account) {
        long now = System.nanoTime();
        if (now - previousAtNanos >= 1_000_000_000L) {
            Map<String, Long> current = new HashMap<>();
            counts.forEach((s, n) -> current.put(s, n.sum()));
            double seconds = (now - previousAtNanos) / 1e9;
            Map<String, Double> fresh = new HashMap<>();
            current.forEach((s, n) -> fresh.put(s, (n - previous.getOrDefault(s, 0L)) / seconds));
            rates = fresh;
            previous = current;
            previousAtNanos = now;
        }
        String prefix = "acct." + account + ".";
        TreeMap<String, Rate> out = new TreeMap<>();
        counts.forEach((s, n) -> {
            if (s.startsWith(prefix)) {
                out.put(s.substring(prefix.length()), new Rate(n.sum(), rates.getOrDefault(s, 0.0)));
            }
        });
        return out;
    }

    long overflow() {
        return overflow.get();
    }
}
