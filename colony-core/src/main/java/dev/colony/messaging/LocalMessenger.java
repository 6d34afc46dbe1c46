package dev.colony.messaging;

import dev.colony.bus.Event;
import dev.colony.internal.BoundedDeadLetters;
import dev.colony.internal.LatencyRecorder;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The messenger of one JVM: a map from agent id to {@link LocalInbox}, a map of the requests waiting for
 * replies, and one timer thread for request timeouts.
 *
 * <p>Routing a message is a map lookup and a mailbox offer on the sender's thread. When marshalling, the
 * sender encodes and the recipient's inbox thread decodes, as two processes would. Everything that is not
 * delivered goes through {@link #deadLetter}, which also fails the waiting request the message was, so
 * each failure path completes a request exactly once and in one place.
 */
final class LocalMessenger implements Messenger {
    /** The type of a reply that reports the recipient's failure, and the header that marks it. */
    static final String FAILURE_TYPE = "colony.reply.failure";

    static final String FAILURE_HEADER = "replyfailure";

    private static final System.Logger LOG = System.getLogger("dev.colony.messaging");
    private static final long TICK_MILLIS = 50;
    private static final Instant LATEST_DEADLINE = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final ConcurrentHashMap<AgentId, LocalInbox> inboxes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, PendingRequest> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final MessageCodec codec;
    private final boolean marshal;
    private final InstantSource clock;
    private final Consumer<HandlerFailure> onHandlerFailure;
    private final BoundedDeadLetters deadLetters;
    private final Duration closeTimeout;
    private final LongAdder abandoned = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LatencyRecorder marshalTime = new LatencyRecorder();
    private final LatencyRecorder unmarshalTime = new LatencyRecorder();
    private final LatencyRecorder roundTrip = new LatencyRecorder();
    private volatile boolean closed;
    private final AtomicBoolean closing = new AtomicBoolean();

    LocalMessenger(Builder builder) {
        this.codec = builder.codec;
        this.marshal = builder.marshalEverySend;
        this.clock = builder.clock;
        this.onHandlerFailure = builder.onHandlerFailure;
        this.deadLetters = new BoundedDeadLetters(builder.deadLetterCapacity, builder.deadLetterBytes);
        this.closeTimeout = builder.closeTimeout;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "colony-messenger-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a request answered in time leaves no task behind
        // A timer thread is signalled whenever a new task becomes the earliest one, which, with one request
        // in flight, is every request: a thread wake-up per request. A no-op tick keeps an earlier task at
        // the head, so only timeouts shorter than the tick signal the thread; the tick costs a wake-up
        // every TICK_MILLIS instead.
        timer.scheduleAtFixedRate(() -> {}, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
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
        if (closed) {
            return deadLetter(message, to, DeadLetter.Reason.REJECTED, "the messenger is closed", SendOutcome.REJECTED);
        }
        Instant deadline = message.deadline();
        if (deadline != null && deadline.isBefore(clock.instant())) {
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
        Envelope request = new Envelope(
                message.id(),
                message.source(),
                message.recipient(),
                message.type(),
                correlationId,
                message.source(),
                message.time(),
                message.deadline() == null || message.deadline().isAfter(deadline) ? deadline : message.deadline(),
                message.priority(),
                message.headers(),
                message.payload());
        PendingRequest waiting = new PendingRequest(correlationId, request.id(), message.source(), System.nanoTime());
        if (pending.putIfAbsent(correlationId, waiting) != null) {
            throw new IllegalArgumentException(
                    "correlation id \"" + correlationId + "\" belongs to a request still waiting");
        }
        if (closed) {
            finish(waiting, null, new ReplyException(ReplyFailure.CLOSED, "the messenger is closed"));
            return waiting.future;
        }
        try {
            waiting.armed(timer.schedule(
                    () -> timeOut(waiting, timeout), Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) { // closed meanwhile
            finish(waiting, null, new ReplyException(ReplyFailure.CLOSED, "the messenger is closed"));
            return waiting.future;
        }
        sent.increment();
        route(request, request.recipient()); // a refusal has already failed the request through deadLetter
        return waiting.future;
    }

    private Instant deadline(Duration timeout) {
        Instant now = clock.instant();
        try {
            Instant deadline = now.plus(timeout);
            return deadline.isAfter(LATEST_DEADLINE) ? LATEST_DEADLINE : deadline;
        } catch (ArithmeticException | DateTimeException e) {
            return LATEST_DEADLINE;
        }
    }

    private void timeOut(PendingRequest waiting, Duration timeout) {
        finish(waiting, null, new ReplyException(ReplyFailure.TIMEOUT, "no reply within " + timeout));
    }

    /** Removes and completes a waiting request; true for the one call that completed it. */
    private boolean finish(PendingRequest waiting, Envelope reply, ReplyException failure) {
        if (!waiting.claim()) {
            return false;
        }
        pending.remove(waiting.correlationId, waiting);
        waiting.cancelTimeout();
        if (reply != null) {
            roundTrip.record(System.nanoTime() - waiting.startNanos);
            delivered.increment();
            waiting.future.complete(reply);
        } else {
            if (failure.failure() == ReplyFailure.TIMEOUT) {
                timedOut.increment();
            }
            waiting.future.completeExceptionally(failure);
        }
        return true;
    }

    @Override
    public SendOutcome reply(Envelope request, String type, Object payload) {
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
        sent.increment();
        PendingRequest waiting = pending.get(reply.correlationId());
        if (waiting == null || !waiting.replyTo.equals(reply.recipient())) {
            return route(reply, reply.recipient());
        }
        Envelope received = reply;
        if (marshal) {
            Object encoded = encode(reply, reply.recipient());
            if (encoded instanceof SendOutcome refused) {
                finish(waiting, null, new ReplyException(ReplyFailure.UNDELIVERED, "the reply could not be encoded"));
                return refused;
            }
            received = decode((LocalInbox.Encoded) encoded, Object.class, reply.recipient());
            if (received == null) {
                return SendOutcome.REJECTED;
            }
        }
        String failure = received.headers().get(FAILURE_HEADER);
        if (failure != null) {
            finish(
                    waiting,
                    null,
                    new ReplyException(ReplyFailure.RECIPIENT_FAILURE, String.valueOf(received.payload())));
        } else {
            finish(waiting, received, null);
        }
        return SendOutcome.DELIVERED;
    }

    @Override
    public BroadcastResult broadcast(Audience audience, Envelope message, boolean includeSender) {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(message, "message");
        int matched = 0;
        int accepted = 0;
        for (Map.Entry<AgentId, LocalInbox> entry : inboxes.entrySet()) {
            AgentId id = entry.getKey();
            if ((includeSender || !id.equals(message.source()))
                    && audience.includes(id, entry.getValue().roles())) {
                matched++;
                sent.increment();
                if (route(message.withRecipient(id), id).delivered()) {
                    accepted++;
                }
            }
        }
        return new BroadcastResult(matched, accepted);
    }

    @Override
    public SendOutcome deliverEncoded(AgentId recipient, byte[] message) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(message, "message");
        sent.increment();
        // checked before the bytes are copied: refused input costs at most the dead letter's prefix
        if (closed) {
            deadLetters.addRefused(
                    message, recipient, DeadLetter.Reason.REJECTED, "the messenger is closed", clock.instant());
            return SendOutcome.REJECTED;
        }
        if (message.length > codec.maxMessageBytes()) {
            deadLetters.addRefused(
                    message,
                    recipient,
                    DeadLetter.Reason.TOO_LARGE,
                    "received message of " + message.length + " bytes exceeds the limit of " + codec.maxMessageBytes()
                            + " bytes",
                    clock.instant());
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
     * Runs on {@code inbox}'s thread: decodes if needed, drops expired messages, calls the handler. Throws
     * nothing: whatever fails becomes a dead letter, and the inbox goes on.
     */
    void handle(LocalInbox inbox, MessageHandler handler, Object item) {
        Envelope message;
        try {
            message = item instanceof LocalInbox.Encoded encoded
                    ? decode(encoded, inbox.payloadType(), inbox.id())
                    : (Envelope) item;
        } catch (Throwable error) { // a codec breaking its contract (or an Error): the message, not the inbox, fails
            deadLetter(
                    item,
                    inbox.id(),
                    DeadLetter.Reason.MALFORMED,
                    "could not be decoded: " + describe(error),
                    SendOutcome.REJECTED);
            return;
        }
        if (message == null) {
            return;
        }
        Instant deadline = message.deadline();
        if (deadline != null && deadline.isBefore(clock.instant())) {
            deadLetter(
                    message,
                    inbox.id(),
                    DeadLetter.Reason.EXPIRED,
                    "its deadline " + deadline + " passed before it was handled",
                    SendOutcome.EXPIRED);
            return;
        }
        try {
            handler.onMessage(message);
            delivered.increment();
        } catch (Throwable error) {
            handlerFailed(inbox.id(), message, error);
        }
    }

    /** Counts and reports a handler's failure, answers a request, and records the HANDLER_FAILED dead letter. */
    private void handlerFailed(AgentId agent, Envelope message, Throwable error) {
        failed.increment();
        try {
            if (message.correlationId() != null && message.replyTo() != null) {
                replyFailure(message, error);
            }
            onHandlerFailure.accept(new HandlerFailure(agent, message, error));
        } catch (Throwable ignored) {
            // the listener is documented as never throwing; one that does must not stop the inbox
        }
        deadLetter(
                message,
                agent,
                DeadLetter.Reason.HANDLER_FAILED,
                "the handler of agent \"" + agent + "\" threw " + describe(error),
                SendOutcome.REJECTED);
    }

    /** Runs on {@code inbox}'s thread when handling {@code item} failed outside the handler (the last resort). */
    void unhandled(LocalInbox inbox, Object item, Throwable error) {
        try {
            deadLetter(
                    item,
                    inbox.id(),
                    DeadLetter.Reason.HANDLER_FAILED,
                    "handling failed outside the handler: " + describe(error),
                    SendOutcome.REJECTED);
        } catch (Throwable ignored) {
            // nothing is left to report it to; the inbox must go on
        }
    }

    static String describe(Throwable error) {
        return error.getClass().getName() + (error.getMessage() == null ? "" : ": " + Quote.line(error.getMessage()));
    }

    private void replyFailure(Envelope request, Throwable error) {
        String detail = error.getMessage() != null
                ? error.getMessage()
                : error.getClass().getName();
        AgentId to = request.replyTo();
        sendReply(reply(request, to, FAILURE_TYPE, detail, Map.of(FAILURE_HEADER, "recipient_failure")));
    }

    /** The decoded envelope, or null after recording a MALFORMED dead letter. */
    private Envelope decode(LocalInbox.Encoded encoded, Class<?> payloadType, AgentId recipient) {
        long start = System.nanoTime();
        try {
            return codec.decode(encoded.bytes(), payloadType);
        } catch (MalformedMessageException | MessageTooLargeException e) {
            deadLetter(encoded, recipient, DeadLetter.Reason.MALFORMED, e.getMessage(), SendOutcome.REJECTED);
            return null;
        } finally {
            unmarshalTime.record(System.nanoTime() - start);
        }
    }

    /**
     * Records a dead letter for {@code item} (an envelope or an encoded message) and, if it was a waiting
     * request, fails that request. Returns {@code outcome}, for the caller to pass on.
     */
    SendOutcome deadLetter(Object item, AgentId to, DeadLetter.Reason reason, String detail, SendOutcome outcome) {
        Envelope envelope;
        byte[] bytes;
        if (item instanceof LocalInbox.Encoded encoded) {
            envelope = encoded.original();
            bytes = encoded.bytes();
        } else {
            envelope = (Envelope) item;
            bytes = null;
        }
        deadLetters.add(new DeadLetter(envelope, bytes, to, reason, detail, clock.instant()));
        if (envelope != null && envelope.correlationId() != null) {
            PendingRequest waiting = pending.get(envelope.correlationId());
            if (waiting != null && waiting.requestId.equals(envelope.id())) {
                finish(waiting, null, new ReplyException(replyFailure(reason), detail));
            }
        }
        return outcome;
    }

    private static ReplyFailure replyFailure(DeadLetter.Reason reason) {
        return switch (reason) {
            case NO_SUCH_AGENT -> ReplyFailure.NO_RECIPIENT;
            case EXPIRED -> ReplyFailure.TIMEOUT;
            case HANDLER_FAILED -> ReplyFailure.RECIPIENT_FAILURE;
            case MAILBOX_FULL, EVICTED, TOO_LARGE, UNENCODABLE, MALFORMED, RECIPIENT_CLOSED, REJECTED ->
                ReplyFailure.UNDELIVERED;
        };
    }

    @Override
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    public MessengerMetrics metrics() {
        return new MessengerMetrics(
                sent.sum(),
                delivered.sum(),
                failed.sum(),
                timedOut.sum(),
                deadLetters.total(),
                abandoned.sum(),
                pending.size(),
                marshalTime.snapshot(),
                unmarshalTime.snapshot(),
                roundTrip.snapshot());
    }

    @Override
    public MessageCodec codec() {
        return codec;
    }

    /** Timeout tasks scheduled now, the tick not counted: 0 when no request waits (for tests of leaks). */
    int scheduledTimeouts() {
        return timer.getQueue().size() - 1;
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
        for (PendingRequest waiting : new ArrayList<>(pending.values())) {
            finish(waiting, null, new ReplyException(ReplyFailure.CLOSED, "the messenger closed"));
        }
        List<LocalInbox> open = new ArrayList<>(inboxes.values());
        open.forEach(LocalInbox::stop);
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        List<LocalInbox> running = new ArrayList<>();
        for (LocalInbox inbox : open) {
            if (!inbox.awaitDrainer(deadline)) {
                running.add(inbox);
            }
        }
        abandon(running);
        timer.shutdownNow();
    }

    /** Interrupts the drainers of {@code running}, counts each inbox once, and logs one line naming them. */
    void abandon(List<LocalInbox> running) {
        List<AgentId> agents = new ArrayList<>();
        for (LocalInbox inbox : running) {
            if (inbox.abandon()) {
                abandoned.increment();
                agents.add(inbox.id());
            }
        }
        if (!agents.isEmpty()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "closed with handlers still running after " + closeTimeout
                            + "; interrupted and abandoned the handlers of agents " + agents);
        }
    }
}
