package dev.colony.bus;

import dev.colony.metrics.LatencySnapshot;

/**
 * The event bus's counters at one moment. Counters only grow; read twice and subtract for rates.
 *
 * @param published events published (each event of a batch counts)
 * @param delivered handler calls that returned normally
 * @param failed handler calls that threw
 * @param dropped events lost to DROP overflow policies
 * @param rejected events refused by subscriptions (FAIL policy, closing subscription, self-publish under
 *     BLOCK, interrupted wait): the sum of {@link PublishResult#rejected()}
 * @param discarded events still queued when their subscription closed
 * @param abandoned ASYNC handler calls still running when a close stopped waiting for them (after the
 *     bus's close timeout): their threads were interrupted, and their outcome is counted here only
 * @param dead events that matched no subscription
 * @param subscriptions open subscriptions
 * @param queueDepth events waiting in ASYNC mailboxes now
 * @param routeCacheHits publishes whose route came from the cache
 * @param routeCacheMisses publishes whose route had to be computed
 * @param routeCacheSize subjects in the route cache now
 * @param asyncLatency publish-to-handler latency of ASYNC deliveries, in nanoseconds
 * @param missed events from other processes this bus never received, counted from the gaps in their
 *     per-publisher sequence numbers (always 0 on a bus in one JVM; see {@link BusGap})
 */
public record BusMetrics(
        long published,
        long delivered,
        long failed,
        long dropped,
        long rejected,
        long discarded,
        long abandoned,
        long dead,
        int subscriptions,
        long queueDepth,
        long routeCacheHits,
        long routeCacheMisses,
        int routeCacheSize,
        LatencySnapshot asyncLatency,
        long missed) {

    /** The counters of a bus that cannot miss events (one JVM): {@code missed} is 0. */
    public BusMetrics(
            long published,
            long delivered,
            long failed,
            long dropped,
            long rejected,
            long discarded,
            long abandoned,
            long dead,
            int subscriptions,
            long queueDepth,
            long routeCacheHits,
            long routeCacheMisses,
            int routeCacheSize,
            LatencySnapshot asyncLatency) {
        this(
                published,
                delivered,
                failed,
                dropped,
                rejected,
                discarded,
                abandoned,
                dead,
                subscriptions,
                queueDepth,
                routeCacheHits,
                routeCacheMisses,
                routeCacheSize,
                asyncLatency,
                0);
    }
}
