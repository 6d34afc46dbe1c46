package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;
import static dev.colony.redis.RedisMessengerScripts.status;

import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.MessageTooLargeException;
import dev.colony.messaging.PendingReplies;
import dev.colony.messaging.ReplyFailure;
import dev.colony.messaging.SendOutcome;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request/reply of a {@link RedisMessenger} node across processes, over the {@link PendingReplies} table
 * every messenger uses.
 *
 * <p>A request is sent like any message, and the same SEND script also sets the request key
 * {@code colony:{swarm}:request:<correlation id>} to {@code "<node id> <reply-to agent>"} with the timeout
 * as its time to live. The requester keeps the future in its table, keyed by correlation id. A reply
 * completes a request of this node directly; otherwise the REPLY script looks the request key up and, when
 * the request still waits and was made for that reply-to agent, appends the reply to the requester node's
 * reply stream {@code colony:{swarm}:replies:<node id>}, which that node's reader reads; when not, the reply
 * is late and goes to the reply-to agent's inbox like any message (the local messenger's rule). The table
 * completes a request once; its hook deletes the request key before the future completes.
 *
 * <p>Failures travel as failure replies ({@link PendingReplies#FAILURE_TYPE}, extension
 * {@link PendingReplies#FAILURE_HEADER}): {@code recipient_failure} when the handler threw,
 * {@code undelivered} when the recipient's node dead-lettered the request (its inbox closed, the message
 * was evicted or malformed). A late {@code undelivered} failure reply is dropped: nobody waits for it. A
 * request that expires in the inbox sends nothing back: its requester's own timer fires first.
 *
 * <p>Timeouts and the node's heartbeat run on the table's timer thread, as in the local messenger.
 */
final class RedisMessengerRequests {
    private final RedisMessenger messenger;
    private final PendingReplies replies;
    private final LongAdder failures = new LongAdder();

    RedisMessengerRequests(RedisMessenger messenger, RedisMessengerOptions options) {
        this.messenger = messenger;
        this.replies = new PendingReplies(
                "colony-redis-messenger-timer", messenger.clock, () -> messenger.closed, this::forget);
        replies.every(
                Duration.ofMillis(Math.max(1, options.nodeTtl().toMillis() / 3)),
                () -> messenger.heartbeat().exceptionally(error -> {
                    failures.increment();
                    return null;
                }));
    }

    CompletableFuture<Envelope> request(Envelope message, Duration timeout) {
        PendingReplies.Request request = replies.register(message, timeout);
        if (!request.refused()) {
            messenger.sent.increment();
            long ttl = Math.max(1, Math.min(timeout.toMillis(), Long.MAX_VALUE / 2));
            Envelope sent = request.envelope();
            messenger.route(
                    sent,
                    sent.recipient(),
                    requestKey(sent.correlationId()),
                    messenger.nodeId() + " " + message.source(),
                    ttl); // a refusal has already failed the request through the dead letter
        }
        return request.reply();
    }

    private String requestKey(String correlationId) {
        return messenger.key("request:" + correlationId);
    }

    /** A request finished: later replies are late replies. */
    private void forget(String correlationId) {
        if (!messenger.closed) {
            try {
                messenger.redis.del(requestKey(correlationId));
            } catch (RuntimeException e) { // the connection is closed: the key expires by itself
                failures.increment();
            }
        }
    }

    SendOutcome reply(Envelope request, String type, Object payload) {
        return sendReply(PendingReplies.reply(request, type, payload));
    }

    private SendOutcome sendReply(Envelope reply) {
        messenger.sent.increment();
        PendingReplies.Waiting waiting = replies.waitingFor(reply);
        if (waiting != null) {
            Envelope received = reply;
            if (messenger.marshal) { // as if it crossed a process boundary
                try {
                    received = messenger.codec.decode(messenger.codec.encode(reply), Object.class);
                } catch (RuntimeException e) {
                    replies.fail(waiting, ReplyFailure.UNDELIVERED, "the reply could not be encoded");
                    return messenger.deadLetter(
                            reply,
                            null,
                            reply.recipient(),
                            DeadLetter.Reason.UNENCODABLE,
                            e.getMessage(),
                            SendOutcome.REJECTED);
                }
            }
            if (replies.complete(waiting, received)) {
                return SendOutcome.DELIVERED;
            }
            // the request timed out between the lookup and now: sent on as a late reply, as if it came later
        }
        byte[] encoded;
        try {
            encoded = messenger.codec.encode(reply);
        } catch (MessageTooLargeException e) {
            return messenger.deadLetter(
                    reply, null, reply.recipient(), DeadLetter.Reason.TOO_LARGE, e.getMessage(), SendOutcome.REJECTED);
        } catch (IllegalArgumentException e) {
            return messenger.deadLetter(
                    reply,
                    null,
                    reply.recipient(),
                    DeadLetter.Reason.UNENCODABLE,
                    e.getMessage(),
                    SendOutcome.REJECTED);
        }
        List<Object> answer;
        try {
            answer = RedisMessengerScripts.await(RedisMessengerScripts.REPLY.run(
                    messenger.redis,
                    new String[] {requestKey(reply.correlationId())},
                    bytes(reply.recipient().value()),
                    encoded,
                    bytes(messenger.key(""))));
        } catch (RuntimeException e) {
            failures.increment();
            return messenger.deadLetter(
                    reply,
                    encoded,
                    reply.recipient(),
                    DeadLetter.Reason.REJECTED,
                    "Redis did not confirm the reply: " + e.getMessage(),
                    SendOutcome.REJECTED);
        }
        if (status(answer).equals("REPLIED")) {
            return SendOutcome.DELIVERED;
        }
        return late(reply);
    }

    /** A reply nobody waits for: an ordinary message to its recipient, unless it only reported non-delivery. */
    private SendOutcome late(Envelope reply) {
        if (PendingReplies.reportsUndelivered(reply)) {
            return SendOutcome.DELIVERED; // nobody waits for the news any more
        }
        return messenger.route(reply, reply.recipient(), null, null, 0);
    }

    /** The replies read from this node's reply stream, completed off the reader's thread. */
    void onReplies(List<StreamMessage<String, byte[]>> entries) {
        Thread.ofVirtual().name("colony-redis-replies").start(() -> {
            List<String> ids = new ArrayList<>(entries.size());
            for (StreamMessage<String, byte[]> entry : entries) {
                ids.add(entry.getId());
                byte[] encoded =
                        entry.getBody() == null ? null : entry.getBody().get("m");
                if (encoded != null) {
                    received(encoded);
                }
            }
            messenger.reader().acknowledge(messenger.replyStream(), ids, ConcurrentHashMap.newKeySet());
        });
    }

    private void received(byte[] encoded) {
        long start = System.nanoTime();
        Envelope reply = messenger.decodeQuietly(encoded, Object.class);
        messenger.unmarshalTime.record(System.nanoTime() - start);
        if (reply == null) {
            messenger.deadLetter(
                    null,
                    encoded,
                    null,
                    DeadLetter.Reason.MALFORMED,
                    "a reply on this node's reply stream did not decode",
                    SendOutcome.REJECTED);
            return;
        }
        PendingReplies.Waiting waiting = replies.waitingFor(reply);
        if ((waiting == null || !replies.complete(waiting, reply)) && reply.recipient() != null) {
            late(reply); // no request waits for it, or its request timed out since the lookup
        }
    }

    /** A handler threw while handling a request: the requester learns it as RECIPIENT_FAILURE. */
    void replyFailure(Envelope request, Throwable error) {
        sendReply(PendingReplies.failureReply(
                request, PendingReplies.RECIPIENT_FAILURE, PendingReplies.failureDetail(error)));
    }

    /**
     * {@code message} became a dead letter for {@code reason}: fails the request it was, here when it waits on
     * this node, otherwise by an {@code undelivered} failure reply to the requester's node.
     */
    void undelivered(Envelope message, DeadLetter.Reason reason, String detail) {
        if (message.correlationId() == null || replies.undelivered(message, reason, detail)) {
            return;
        }
        boolean remote = reason == DeadLetter.Reason.RECIPIENT_CLOSED
                || reason == DeadLetter.Reason.EVICTED
                || reason == DeadLetter.Reason.MALFORMED;
        if (remote && message.replyTo() != null && message.recipient() != null && !messenger.closed) {
            messenger.sent.decrement(); // not a message the application sent
            sendReply(PendingReplies.failureReply(message, PendingReplies.UNDELIVERED, detail));
        }
    }

    PendingReplies replies() {
        return replies;
    }

    long failures() {
        return failures.sum();
    }

    /** Fails every waiting request with CLOSED. */
    void closeAll() {
        replies.failAll();
    }

    void stop() {
        replies.close();
    }
}
