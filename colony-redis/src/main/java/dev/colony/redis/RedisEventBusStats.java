package dev.colony.redis;

/**
 * The counters of one {@link RedisEventBus} node's way through Redis. Counters only grow, except the
 * two depths.
 *
 * @param sent events whose PUBLISH Redis acknowledged
 * @param outboundDropped events not sent because the outbound buffer was full
 * @param sendFailed events whose PUBLISH failed (timed out or refused)
 * @param outboundDepth events waiting in the outbound buffer now
 * @param received events received from other nodes, once each
 * @param echoes messages of this node's own, skipped
 * @param inboundDropped messages (an event or a batch of events) dropped because the inbound queue was full
 * @param malformed messages that could not be read, logged and skipped
 * @param unmatched events no subscription's pattern matched exactly: the Redis glob over-matched, or a node
 *     channel carried another subject (ADR 0075); their {@code data} was not read
 * @param resubscribed patterns Redis confirmed again after the pub/sub connection was lost: events
 *     published meanwhile did not reach this node
 * @param inboundDepth messages waiting in the inbound queue now
 * @param missed events of other nodes that never arrived: gaps in their sequence numbers (ADR 0036)
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
        long resubscribed,
        int inboundDepth,
        long missed) {}
