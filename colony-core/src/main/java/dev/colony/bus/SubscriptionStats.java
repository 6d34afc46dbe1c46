package dev.colony.bus;

/**
 * Counters of one subscription.
 *
 * @param delivered handler calls that returned normally
 * @param failed handler calls that threw
 * @param dropped events this mailbox lost to a DROP policy
 * @param rejected events this open mailbox refused (FAIL policy, self-publish under BLOCK, interrupted
 *     wait); events refused because the subscription was closing count only in {@link BusMetrics#rejected()}
 * @param discarded events still queued when the subscription closed
 * @param queueDepth events waiting in the mailbox now (0 for DIRECT)
 */
public record SubscriptionStats(
        long delivered, long failed, long dropped, long rejected, long discarded, int queueDepth) {}
