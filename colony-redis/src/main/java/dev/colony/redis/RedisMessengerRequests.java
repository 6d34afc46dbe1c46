package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;
import static dev.colony.redis.RedisMessengerScripts.status;

import dev.colony.internal.LatencyRecorder;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.MessageTooLargeException;
import dev.colony.messaging.ReplyException;
import dev.colony.messaging.ReplyFailure;
import dev.colony.messaging.SendOutcome;
import dev.colony.metrics.LatencySnapshot;
import io.lettuce.core.StreamMessage;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request/reply of a {@link RedisMessenger} node across processes.
 *
 * <p>A request is sent like any message, and the same SEND script also sets the request key
 * {@code colony:{swarm}:request:<correlation id>} to {@code "<node id> <reply-to agent>"} with the timeout
 * as its time to live. The requester keeps the future in {@code pending}, keyed by correlation id. A reply
 * completes a request of this node directly; otherwise the REPLY script looks the request key up and, when
 * the request still waits and was made for that reply-to agent, appends the reply to the requester node's
 * reply stream {@code colony:{swarm}:replies:<node id>}, which that node's reader reads; when not, the reply
 * is late and goes to the reply-to agent's inbox like any message (the local messenger's rule). Completion
 * is claimed once (a CAS); the winner removes the pending entry, cancels the timeout and deletes the request
 * key before completing the future.
 *
 * <p>Failures travel as failure replies (type {@value #FAILURE_TYPE}, extension {@code replyfailure}):
 * {@code recipient_failure} when the handler threw, {@code undelivered} when the recipient's node
 * dead-lettered the request (its inbox closed, the message was evicted or malformed). A late
 * {@code undelivered} failure reply is dropped: nobody waits for it. A request that expires in the inbox
 * sends nothing back: its requester's own timer fires first.
 *
 * <p>Timeouts and the node's heartbeat run on one timer thread, as in the local messenger.
 */
final class RedisMessengerRequests {
    static final String FAILURE_TYPE = "colony.reply.failure";
    static final String FAILURE_HEADER = "replyfailure";
    private static final long TICK_MILLIS = 50;
    private static final Instant LATEST_DEADLINE = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** A request waiting for its reply. */
    static final class Pending {
        final String correlationId;
        final String requestId;
        final AgentId replyTo;
        final long startNanos;
        final CompletableFuture<Envelope> future = new CompletableFuture<>();
        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile ScheduledFuture<?> timeout;

        Pending(String correlationId, String requestId, AgentId replyTo, long startNanos) {
            this.correlationId = correlationId;
            this.requestId = requestId;
            this.replyTo = replyTo;
            this.startNanos = startNanos;
        }

        void armed(ScheduledFuture<?> task) {
            timeout = task;
            if (claimed.get()) {
                task.cancel(false);
            }
        }
    }

    private final RedisMessenger messenger;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LatencyRecorder roundTrip = new LatencyRecorder();

    RedisMessengerRequests(RedisMessenger messenger, RedisMessengerOptions options) {
        this.messenger = messenger;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "colony-redis-messenger-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        // the tick keeps an earlier task at the head of the queue, so a new timeout rarely signals the thread
        timer.scheduleAtFixedRate(() -> {}, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        long beat = Math.max(1, options.nodeTtl().toMillis() / 3);
        timer.scheduleAtFixedRate(
                () -> messenger.heartbeat().exceptionally(error -> {
                    failures.increment();
                    return null;
                }),
                beat,
                beat,
                TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Envelope> request(Envelope message, Duration timeout) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        if (message.recipient() == null) {
            throw new IllegalArgumentException("request \"" + message.id() + "\" has no recipient");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        String correlationId = message.correlationId() != null ? message.correlationId() : message.id();
        Instant deadline = deadline(timeout);
        Envelope request = message.withCorrelationId(correlationId)
                .withReplyTo(message.source())
                .withDeadline(
                        message.deadline() == null || message.deadline().isAfter(deadline)
                                ? deadline
                                : message.deadline());
        Pending waiting = new Pending(correlationId, request.id(), message.source(), System.nanoTime());
        if (pending.putIfAbsent(correlationId, waiting) != null) {
            throw new IllegalArgumentException(
                    "correlation id \"" + correlationId + "\" belongs to a request still waiting");
        }
        if (messenger.closed) {
            finish(waiting, null, new ReplyException(ReplyFailure.CLOSED, "the messenger is closed"));
            return waiting.future;
        }
        try {
            waiting.armed(timer.schedule(
                    () -> finish(waiting, null, new ReplyException(ReplyFailure.TIMEOUT, "no reply within " + timeout)),
                    Math.max(1, timeout.toNanos()),
                    TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            finish(waiting, null, new ReplyException(ReplyFailure.CLOSED, "the messenger is closed"));
            return waiting.future;
        }
        messenger.sent.increment();
        long ttl = Math.max(1, Math.min(timeout.toMillis(), Long.MAX_VALUE / 2));
        messenger.route(
                request,
                request.recipient(),
                requestKey(correlationId),
                messenger.nodeId() + " " + message.source(),
                ttl); // a refusal has already failed the request through the dead letter
        return waiting.future;
    }

    private Instant deadline(Duration timeout) {
        Instant now = messenger.clock.instant();
        try {
            Instant deadline = now.plus(timeout);
            return deadline.isAfter(LATEST_DEADLINE) ? LATEST_DEADLINE : deadline;
        } catch (ArithmeticException | DateTimeException e) {
            return LATEST_DEADLINE;
        }
    }

    private String requestKey(String correlationId) {
        return messenger.key("request:" + correlationId);
    }

    /** Removes and completes a waiting request; true for the one call that completed it. */
    private boolean finish(Pending waiting, Envelope reply, ReplyException failure) {
        if (!waiting.claimed.compareAndSet(false, true)) {
            return false;
        }
        pending.remove(waiting.correlationId, waiting);
        ScheduledFuture<?> task = waiting.timeout;
        if (task != null) {
            task.cancel(false);
        }
        if (!messenger.closed) {
            try {
                messenger.redis.del(requestKey(waiting.correlationId)); // later replies are late replies
            } catch (RuntimeException e) { // the connection is closed: the key expires by itself
                failures.increment();
            }
        }
        if (reply != null) {
            roundTrip.record(System.nanoTime() - waiting.startNanos);
            messenger.delivered.increment();
            waiting.future.complete(reply);
        } else {
            if (failure.failure() == ReplyFailure.TIMEOUT) {
                timedOut.increment();
            }
            waiting.future.completeExceptionally(failure);
        }
        return true;
    }

    SendOutcome reply(Envelope request, String type, Object payload) {
        Objects.requireNonNull(request, "request");
        if (request.correlationId() == null) {
            throw new IllegalArgumentException("message \"" + request.id() + "\" has no correlation id to reply to");
        }
        if (request.recipient() == null) {
            throw new IllegalArgumentException(
                    "message \"" + request.id() + "\" was a broadcast; it has no single recipient to reply from");
        }
        AgentId to = request.replyTo() != null ? request.replyTo() : request.source();
        return sendReply(reply(request, to, type, payload, Map.of()));
    }

    private static Envelope reply(
            Envelope request, AgentId to, String type, Object payload, Map<String, String> headers) {
        return new Envelope(
                Envelope.newId(),
                request.recipient(),
                to,
                type,
                request.correlationId(),
                null,
                Instant.now(),
                null,
                request.priority(),
                headers,
                payload);
    }

    private SendOutcome sendReply(Envelope reply) {
        messenger.sent.increment();
        Pending waiting = pending.get(reply.correlationId());
        if (waiting != null && waiting.replyTo.equals(reply.recipient())) {
            Envelope received = reply;
            if (messenger.marshal) { // as if it crossed a process boundary
                try {
                    received = messenger.codec.decode(messenger.codec.encode(reply), Object.class);
                } catch (RuntimeException e) {
                    finish(
                            waiting,
                            null,
                            new ReplyException(ReplyFailure.UNDELIVERED, "the reply could not be encoded"));
                    return messenger.deadLetter(
                            reply,
                            null,
                            reply.recipient(),
                            DeadLetter.Reason.UNENCODABLE,
                            e.getMessage(),
                            SendOutcome.REJECTED);
                }
            }
            complete(waiting, received);
            return SendOutcome.DELIVERED;
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
            answer = RedisMessenger.await(RedisMessengerScripts.REPLY.run(
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
        if ("undelivered".equals(reply.headers().get(FAILURE_HEADER))) {
            return SendOutcome.DELIVERED; // nobody waits for the news any more
        }
        return messenger.route(reply, reply.recipient(), null, null, 0);
    }

    /** Completes {@code waiting} with a reply, or with the failure a failure reply carries. */
    private void complete(Pending waiting, Envelope reply) {
        String failure = reply.headers().get(FAILURE_HEADER);
        if (failure == null) {
            finish(waiting, reply, null);
            return;
        }
        ReplyFailure reason = switch (failure.toLowerCase(Locale.ROOT)) {
            case "recipient_failure" -> ReplyFailure.RECIPIENT_FAILURE;
            case "no_recipient" -> ReplyFailure.NO_RECIPIENT;
            case "timeout" -> ReplyFailure.TIMEOUT;
            default -> ReplyFailure.UNDELIVERED;
        };
        finish(waiting, null, new ReplyException(reason, String.valueOf(reply.payload())));
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
            messenger.acknowledge(messenger.replyStream(), ids, ConcurrentHashMap.newKeySet());
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
        Pending waiting = reply.correlationId() == null ? null : pending.get(reply.correlationId());
        if (waiting != null && waiting.replyTo.equals(reply.recipient())) {
            complete(waiting, reply);
        } else if (reply.recipient() != null) {
            late(reply);
        }
    }

    /** A handler threw while handling a request: the requester learns it as RECIPIENT_FAILURE. */
    void replyFailure(Envelope request, Throwable error) {
        String detail = error.getMessage() != null
                ? error.getMessage()
                : error.getClass().getName();
        sendReply(reply(request, request.replyTo(), FAILURE_TYPE, detail, Map.of(FAILURE_HEADER, "recipient_failure")));
    }

    /**
     * {@code message} became a dead letter for {@code reason}: fails the request it was, here when it waits on
     * this node, otherwise by an {@code undelivered} failure reply to the requester's node.
     */
    void undelivered(Envelope message, DeadLetter.Reason reason, String detail) {
        if (message.correlationId() == null) {
            return;
        }
        Pending waiting = pending.get(message.correlationId());
        if (waiting != null && waiting.requestId.equals(message.id())) {
            finish(waiting, null, new ReplyException(failureOf(reason), detail));
            return;
        }
        boolean remote = reason == DeadLetter.Reason.RECIPIENT_CLOSED
                || reason == DeadLetter.Reason.EVICTED
                || reason == DeadLetter.Reason.MALFORMED;
        if (remote && message.replyTo() != null && message.recipient() != null && !messenger.closed) {
            messenger.sent.decrement(); // not a message the application sent
            sendReply(reply(message, message.replyTo(), FAILURE_TYPE, detail, Map.of(FAILURE_HEADER, "undelivered")));
        }
    }

    private static ReplyFailure failureOf(DeadLetter.Reason reason) {
        return switch (reason) {
            case NO_SUCH_AGENT -> ReplyFailure.NO_RECIPIENT;
            case EXPIRED -> ReplyFailure.TIMEOUT;
            case HANDLER_FAILED -> ReplyFailure.RECIPIENT_FAILURE;
            case MAILBOX_FULL, EVICTED, TOO_LARGE, UNENCODABLE, MALFORMED, RECIPIENT_CLOSED, REJECTED ->
                ReplyFailure.UNDELIVERED;
        };
    }

    long timedOut() {
        return timedOut.sum();
    }

    int pending() {
        return pending.size();
    }

    long failures() {
        return failures.sum();
    }

    LatencySnapshot roundTrip() {
        return roundTrip.snapshot();
    }

    /** Fails every waiting request with CLOSED. */
    void closeAll() {
        for (Pending waiting : new ArrayList<>(pending.values())) {
            finish(waiting, null, new ReplyException(ReplyFailure.CLOSED, "the messenger closed"));
        }
    }

    void stop() {
        timer.shutdownNow();
    }
}
