package dev.colony.redis;

/**
 * The counters of one {@link RedisEventBus} node's way through Redis. Counters only grow, except the
 * two depths.
 *
 * @param sent PUBLISH commands Redis acknowledged
 * @param outboundDropped events not sent because the outbound buffer was full
 * @param sendFailed PUBLISH commands that failed (timed out or refused)
 * @param outboundDepth events waiting in the outbound buffer now
 * @param received messages received from Redis, one per message
 * @param echoes of those, this node's own events, skipped
 * @param inboundDropped events dropped because the inbound queue was full
 * @param malformed frames that could not be read, logged and skipped
 * @param unmatched events the Redis glob let through that no subscription's pattern matched exactly
 * @param inboundDepth events waiting in the inbound queue now
 */
record RedisEventBusStats(
        long sent,
        long outboundDropped,
        long sendFailed,
        int outboundDepth,
        long received,
        long echoes,
        long inboundDropped,
        long malformed,
        long unmatched,
        int inboundDepth) {}
