package dev.colony.messaging;

import dev.colony.bus.Event;
import dev.colony.metrics.LatencyRecorder;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The messenger of one JVM: a map from agent id to {@link LocalInbox}, and the {@link PendingReplies} of the
 * requests waiting for replies (with its timer thread for their timeouts).
 *
 * <p>Routing a message is a map lookup and a mailbox offer on the sender's thread. When marshalling, the
 * sender encodes and the recipient's inbox thread decodes, as two processes would. Everything that is not
 * delivered goes through {@link #deadLetter}, which also fails the waiting request the message was, so
 * each failure path completes a request exactly once and in one place. Handling on the inbox's thread is
 * the {@link HandlerSupervisor}'s.
 */
final class LocalMessenger implements Messenger, HandlerSupervisor.Sink {
    private static final System.Logger LOG = System.getLogger("dev.colony.messaging");

    private final ConcurrentHashMap<AgentId, LocalInbox> inboxes = new ConcurrentHashMap<>();
    private final PendingReplies replies;
    private final HandlerSupervisor supervisor;
    private final MessageCodec codec;
    private final boolean marshal;
    private final InstantSource clock;
    private final BoundedDeadLetters deadLetters;
    private final Duration closeTimeout;
    private final LongAdder abandoned = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LatencyRecorder marshalTime = new LatencyRecorder();
    private final LatencyRecorder unmarshalTime = new LatencyRecorder();
    private volatile boolean closed;
    private final AtomicBoolean closing = new AtomicBoolean();

    LocalMessenger(Builder builder) {
        this.codec = builder.codec;
        this.marshal = builder.marshalEverySend;
        this.clock = builder.clock;
        this.deadLetters = new BoundedDeadLetters(builder.deadLetterCapacity, builder.deadLetterBytes);
        this.closeTimeout = builder.closeTimeout;
        this.replies = new PendingReplies("colony-messenger-timer", clock, () -> closed, correlationId -> {});
        this.supervisor = new HandlerSupervisor(codec, clock, builder.onHandlerFailure, unmarshalTime, this);
    }

    @Override
    public Inbox open(AgentId id, InboxOptions options) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(options, "options");
        LocalInbox inbox = new LocalInbox(this, id, options);
        if (closed) {
            throw new IllegalStateException("the messenger is closed");
        }
        if (inboxes.putIfAbsent(id, inbox) != null) {
            throw new IllegalStateException("agent \"" + id + "\" already has an open inbox");
        }
        if (closed) {
            inbox.close(); // raced with close(): leave nothing open behind it
            throw new IllegalStateException("the messenger is closed");
        }
        return inbox;
    }

    @Override
    public OptionalInt inboxSize(AgentId agent) {
        LocalInbox inbox = inboxes.get(Objects.requireNonNull(agent, "agent"));
        return inbox == null || inbox.isClosed() ? OptionalInt.empty() : OptionalInt.of(inbox.size());
    }

    void removed(LocalInbox inbox) {
        inboxes.remove(inbox.id(), inbox);
    }

    @Override
    public SendOutcome send(Envelope message) {
        Objects.requireNonNull(message, "message");
        if (message.recipient() == null) {
            throw new IllegalArgumentException("message \"" + message.id() + "\" has no recipient; use broadcast");
        }
        sent.increment();
        return route(message, message.recipient());
    }

    private SendOutcome route(Envelope message, AgentId to) {
        return route(message, to, true);
    }

    /**
     * Routes {@code message} to {@code to}; {@code checkDeadline} false skips the clock read when the deadline is
     * known to lie ahead (a request's own timeout, set by {@link PendingReplies#register} from the clock just now).
     */
    private SendOutcome route(Envelope message, AgentId to, boolean checkDeadline) {
        if (closed) {
            return deadLetter(message, to, DeadLetter.Reason.REJECTED, "the messenger is closed", SendOutcome.REJECTED);
        }
        Instant deadline = message.deadline();
        if (checkDeadline && deadline != null && deadline.isBefore(clock.instant())) {
            return deadLetter(
                    message,
                    to,
                    DeadLetter.Reason.EXPIRED,
                    "its deadline " + deadline + " had passed when it was sent",
                    SendOutcome.EXPIRED);
        }
        LocalInbox inbox = inboxes.get(to);
        if (inbox == null) {
            return deadLetter(
                    message, to, DeadLetter.Reason.NO_SUCH_AGENT, "no agent \"" + to + "\"", SendOutcome.NO_SUCH_AGENT);
        }
        Object item = message;
        if (marshal) {
            item = encode(message, to);
            if (item instanceof SendOutcome refused) {
                return refused;
            }
        }
        return inbox.offer(item, message.priority());
    }

    /** The encoded message, or the outcome when it cannot be encoded (after recording the dead letter). */
    private Object encode(Envelope message, AgentId to) {
        long start = System.nanoTime();
        try {
            return new LocalInbox.Encoded(codec.encode(message), message);
        } catch (MessageTooLargeException e) {
            return deadLetter(message, to, DeadLetter.Reason.TOO_LARGE, e.getMessage(), SendOutcome.REJECTED);
        } catch (IllegalArgumentException e) {
            return deadLetter(message, to, DeadLetter.Reason.UNENCODABLE, e.getMessage(), SendOutcome.REJECTED);
        } finally {
            marshalTime.record(System.nanoTime() - start);
        }
    }

    @Override
    public CompletableFuture<Envelope> request(Envelope message, Duration timeout) {
        PendingReplies.Request request = replies.register(message, timeout);
        if (!request.refused()) {
            sent.increment();
            // without a deadline of its own, the request's is now + timeout (positive): no need to read the clock again
            route(request.envelope(), message.recipient(), message.deadline() != null);
            // a refusal has already failed the request through deadLetter
        }
        return request.reply();
    }

    @Override
    public SendOutcome reply(Envelope request, String type, Object payload) {
        return sendReply(PendingReplies.reply(request, type, payload));
    }

    private SendOutcome sendReply(Envelope reply) {
        sent.increment();
        PendingReplies.Waiting waiting = replies.waitingFor(reply);
        if (waiting == null) {
            return route(reply, reply.recipient());
        }
        Envelope received = reply;
        if (marshal) {
            Object encoded = encode(reply, reply.recipient());
            if (encoded instanceof SendOutcome refused) {
                replies.fail(waiting, ReplyFailure.UNDELIVERED, "the reply could not be encoded");
                return refused;
            }
            received =
                    supervisor.decode(((LocalInbox.Encoded) encoded).bytes(), reply, reply.recipient(), Object.class);
            if (received == null) {
                return SendOutcome.REJECTED;
            }
        }
        if (!replies.complete(waiting, received)) {
            // the request timed out (or was failed) between the lookup and now: a late reply, as if it came later
            return route(reply, reply.recipient());
        }
        return SendOutcome.DELIVERED;
    }

    @Override
    public void replyFailure(Envelope request, Throwable error) {
        sendReply(PendingReplies.failureReply(
                request, PendingReplies.RECIPIENT_FAILURE, PendingReplies.failureDetail(error)));
    }

    /** Each open inbox's agent and roles, in the inboxes' order. */
    private Map<AgentId, Set<String>> roles() {
        Map<AgentId, Set<String>> roles = new LinkedHashMap<>();
        inboxes.forEach((id, inbox) -> roles.put(id, inbox.roles()));
        return roles;
    }

    @Override
    public BroadcastResult broadcast(Audience audience, Envelope message, boolean includeSender) {
        Objects.requireNonNull(message, "message");
        List<AgentId> members =
                Objects.requireNonNull(audience, "audience").members(roles(), message.source(), includeSender);
        sent.add(members.size());
        return BroadcastResult.of(
                members, id -> route(message.withRecipient(id), id).delivered());
    }

    @Override
    public SendOutcome deliverEncoded(AgentId recipient, byte[] message) {
        boolean refused =
                deadLetters.refuseReceived(message, recipient, closed, codec.maxMessageBytes(), clock.instant());
        sent.increment(); // after the argument checks, as before: a null is not a send
        if (refused) {
            return SendOutcome.REJECTED;
        }
        LocalInbox.Encoded item = new LocalInbox.Encoded(message.clone(), null);
        LocalInbox inbox = inboxes.get(recipient);
        if (inbox == null) {
            return deadLetter(
                    item,
                    recipient,
                    DeadLetter.Reason.NO_SUCH_AGENT,
                    "no agent \"" + recipient + "\"",
                    SendOutcome.NO_SUCH_AGENT);
        }
        return inbox.offer(item, Event.NORMAL_PRIORITY);
    }

    /**
     * Runs on {@code inbox}'s thread: decodes if needed, then lets the supervisor drop an expired message or
     * call the handler. Throws nothing: whatever fails becomes a dead letter, and the inbox goes on.
     */
    void handle(LocalInbox inbox, MessageHandler handler, Object item) {
        Envelope message = item instanceof LocalInbox.Encoded encoded
                ? supervisor.decode(encoded.bytes(), encoded.original(), inbox.id(), inbox.payloadType())
                : (Envelope) item;
        if (message != null) {
            supervisor.handle(inbox.id(), handler, message);
        }
    }

    /** Runs on {@code inbox}'s thread when handling {@code item} failed outside the handler (the last resort). */
    void unhandled(LocalInbox inbox, Object item, Throwable error) {
        if (item instanceof LocalInbox.Encoded encoded) {
            supervisor.unhandled(inbox.id(), encoded.original(), encoded.bytes(), error);
        } else {
            supervisor.unhandled(inbox.id(), (Envelope) item, null, error);
        }
    }

    /**
     * Records a dead letter for {@code item} (an envelope or an encoded message) and, if it was a waiting
     * request, fails that request. Returns {@code outcome}, for the caller to pass on.
     */
    SendOutcome deadLetter(Object item, AgentId to, DeadLetter.Reason reason, String detail, SendOutcome outcome) {
        if (item instanceof LocalInbox.Encoded encoded) {
            deadLetter(encoded.original(), encoded.bytes(), to, reason, detail);
        } else {
            deadLetter((Envelope) item, null, to, reason, detail);
        }
        return outcome;
    }

    @Override
    public void deadLetter(Envelope message, AgentId recipient, DeadLetter.Reason reason, String detail) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        deadLetter(message, null, recipient, reason, detail);
    }

    @Override
    public void deadLetter(Envelope envelope, byte[] bytes, AgentId to, DeadLetter.Reason reason, String detail) {
        deadLetters.add(new DeadLetter(envelope, bytes, to, reason, detail, clock.instant()));
        if (envelope != null) {
            replies.undelivered(envelope, reason, detail);
        }
    }

    @Override
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    public MessengerMetrics metrics() {
        return new MessengerMetrics(
                sent.sum(),
                supervisor.handled() + replies.replied(),
                supervisor.failed(),
                replies.timedOut(),
                deadLetters.total(),
                abandoned.sum(),
                replies.waiting(),
                marshalTime.snapshot(),
                unmarshalTime.snapshot(),
                replies.roundTrip());
    }

    @Override
    public MessageCodec codec() {
        return codec;
    }

    /** Timeout tasks scheduled now: 0 when no request waits (for tests of leaks). */
    int scheduledTimeouts() {
        return replies.scheduledTimeouts();
    }

    long closeTimeoutNanos() {
        return closeTimeout.toNanos();
    }

    /**
     * Closes every inbox, waits up to the close timeout for their handlers together, then interrupts and
     * abandons those still running, and reports them. Idempotent: a second call returns at once.
     */
    @Override
    public void close() {
        closed = true;
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        replies.failAll();
        List<LocalInbox> open = new ArrayList<>(inboxes.values());
        open.forEach(LocalInbox::stop);
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        abandoned(InboxDrainer.awaitAll(open, LocalInbox::drainer, deadline));
        replies.close();
    }

    /** Counts the inboxes whose running handlers were abandoned, and logs one line naming their agents. */
    void abandoned(List<LocalInbox> inboxes) {
        if (inboxes.isEmpty()) {
            return;
        }
        abandoned.add(inboxes.size());
        LOG.log(
                System.Logger.Level.WARNING,
                "closed with handlers still running after " + closeTimeout
                        + "; interrupted and abandoned the handlers of agents "
                        + inboxes.stream().map(LocalInbox::id).toList());
    }
}
