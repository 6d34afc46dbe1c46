package dev.colony.redis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the events a node missed: every frame a Java node publishes carries {@code colonyseq}, a number
 * counting 1, 2, 3, ... per publishing node and channel (ADR 0036). Pub/sub hands a subscriber every message
 * of a channel it subscribed to, so for a (publisher, channel) pair it has seen, the next number must be the
 * last plus one; a jump is that many events missed (the pub/sub connection was down, Redis cut off a slow
 * subscriber, the inbound queue overflowed, a PUBLISH failed).
 *
 * <p>What it cannot see: events on a pair it had not seen yet (the first number seen is the baseline),
 * events missed at the very end of a publisher's life, and frames without {@code colonyseq} (foreign
 * publishers). A number 1 after a higher one is a publisher that forgot the channel (its LRU) and starts
 * over, not a loss. When this node's subscriptions shrink, {@link #forget()} drops every baseline, because
 * the events of an unsubscribed interval are not losses.
 *
 * <p>Memory: at most {@value #MAX_PAIRS} pairs, least recently seen forgotten first. Dispatcher thread only.
 */
final class RedisEventBusGaps {
    static final int MAX_PAIRS = 65_536;

    /** A publishing node and a channel: a record key, so no string is built per event. */
    private record Pair(String publisher, String channel) {}

    private final Map<Pair, long[]> last = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Pair, long[]> eldest) {
            return size() > MAX_PAIRS;
        }
    };

    /** How many events of {@code publisher} on {@code channel} were missed before this one, numbered {@code seq}. */
    long observe(String publisher, String channel, long seq) {
        if (seq < 1 || publisher == null) {
            return 0;
        }
        Pair pair = new Pair(publisher, channel);
        long[] seen = last.get(pair);
        if (seen == null) {
            last.put(pair, new long[] {seq});
            return 0;
        }
        long previous = seen[0];
        if (seq == 1 || seq > previous) {
            seen[0] = seq;
        }
        return seq > previous + 1 ? seq - previous - 1 : 0;
    }

    /** Forgets every baseline (the node's subscriptions shrank). */
    void forget() {
        last.clear();
    }
}
