package dev.colony.messaging;

import dev.colony.metrics.LatencySnapshot;

/**
 * The messenger's counters at one moment. Counters only grow; read twice and subtract for rates.
 *
 * @param sent messages offered to {@link Messenger#send} (each recipient of a broadcast counts once),
 *     requests and replies included
 * @param delivered handler calls that returned normally, plus replies handed to waiting requests
 * @param failed handler calls that threw
 * @param timedOut requests that ended with {@link ReplyFailure#TIMEOUT}
 * @param deadLettered messages that became dead letters
 * @param abandonedHandlers handlers still running when {@link Messenger#close()} stopped waiting for
 *     them; they were interrupted and left to end on their own
 * @param pendingRequests requests waiting for their reply now
 * @param marshal encoding time per message when marshalling, in nanoseconds
 * @param unmarshal decoding time per message when marshalling, in nanoseconds
 * @param requestRoundTrip time from request to reply, in nanoseconds, for requests that got one
 */
public record MessengerMetrics(
        long sent,
        long delivered,
        long failed,
        long timedOut,
        long deadLettered,
        long abandonedHandlers,
        int pendingRequests,
        LatencySnapshot marshal,
        LatencySnapshot unmarshal,
        LatencySnapshot requestRoundTrip) {}
