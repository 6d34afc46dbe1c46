package dev.colony.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The Redis-specific tunables of a {@link RedisMessenger} (the common ones come from
 * {@code Messenger.Builder}). Package-private: {@link #defaults()} is what {@link RedisMessenger#open} uses;
 * tests shorten the times.
 *
 * @param nodeTtl how long a node counts as alive after its last heartbeat (renewed every third of it); an
 *     inbox open on a node that is alive cannot be opened on another node
 * @param claimIdle how long a message may stay delivered to a consumer without an acknowledgement before
 *     the node that now owns the inbox claims it again (XAUTOCLAIM): redelivery after a crash
 * @param readBlock how long one blocking XREADGROUP waits; at most half the link's command timeout
 *     (checked by {@link RedisSettings})
 * @param batch the most entries read from one stream at a time (XREADGROUP and XAUTOCLAIM COUNT), and the
 *     most an inbox handles before acknowledging them (one ACK call)
 * @param readAhead the most entries of one inbox read from its stream and not yet handled on this node, the
 *     entries being handled included; an inbox uses {@code max(batch, min(readAhead, capacity))} (ADR 0071), so
 *     a small inbox reads one batch at a time, as before, and a large one reads the next batches while it
 *     handles this one
 * @param recentIds how many handled message ids each inbox remembers to suppress duplicates
 * @param maxDeliveries how many times an entry may be delivered (read, then claimed after a crash or a hang)
 *     before a claim dead-letters it as {@code HANDLER_FAILED} and acknowledges it instead of handling it
 *     again: the end of a poison pill that kills whichever node handles it
 */
record RedisMessengerOptions(
        Duration nodeTtl,
        Duration claimIdle,
        Duration readBlock,
        int batch,
        int readAhead,
        int recentIds,
        int maxDeliveries) {

    RedisMessengerOptions {
        positive(nodeTtl, "nodeTtl");
        positive(claimIdle, "claimIdle");
        positive(readBlock, "readBlock");
        if (batch < 1 || batch > 1024) {
            throw new IllegalArgumentException("batch must be between 1 and 1024, got " + batch);
        }
        if (readAhead < 1 || readAhead > 65_536) {
            throw new IllegalArgumentException("readAhead must be between 1 and 65536, got " + readAhead);
        }
        if (recentIds < 1 || recentIds > 1 << 20) {
            throw new IllegalArgumentException("recentIds must be between 1 and " + (1 << 20) + ", got " + recentIds);
        }
        if (maxDeliveries < 1 || maxDeliveries > 1000) {
            throw new IllegalArgumentException("maxDeliveries must be between 1 and 1000, got " + maxDeliveries);
        }
    }

    /**
     * Nodes live 10 s after a heartbeat, claims after 30 s idle, reads block 2 s, batches of 64, 256 entries read
     * ahead per inbox, 8,192 ids, 5 deliveries.
     */
    static RedisMessengerOptions defaults() {
        return new RedisMessengerOptions(
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(2), 64, 256, 8192, 5);
    }

    RedisMessengerOptions withNodeTtl(Duration ttl) {
        return new RedisMessengerOptions(ttl, claimIdle, readBlock, batch, readAhead, recentIds, maxDeliveries);
    }

    RedisMessengerOptions withClaimIdle(Duration idle) {
        return new RedisMessengerOptions(nodeTtl, idle, readBlock, batch, readAhead, recentIds, maxDeliveries);
    }

    RedisMessengerOptions withReadBlock(Duration block) {
        return new RedisMessengerOptions(nodeTtl, claimIdle, block, batch, readAhead, recentIds, maxDeliveries);
    }

    RedisMessengerOptions withMaxDeliveries(int max) {
        return new RedisMessengerOptions(nodeTtl, claimIdle, readBlock, batch, readAhead, recentIds, max);
    }

    RedisMessengerOptions withReadAhead(int entries) {
        return new RedisMessengerOptions(nodeTtl, claimIdle, readBlock, batch, entries, recentIds, maxDeliveries);
    }

    /** The most entries an inbox of {@code capacity} holds read and not yet handled (see {@code readAhead}). */
    int readAheadFor(int capacity) {
        return Math.max(batch, Math.min(readAhead, capacity));
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, got " + duration);
        }
    }
}
