package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.await;

import dev.colony.bus.Event;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Audience;
import dev.colony.messaging.BoundedDeadLetters;
import dev.colony.messaging.BroadcastResult;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.DeadLetters;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxDrainer;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.MessageCodec;
import dev.colony.messaging.MessageTooLargeException;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerMetrics;
import dev.colony.messaging.SendOutcome;
import dev.colony.metrics.LatencyRecorder;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One node of a swarm's messenger over Redis streams (ADR 0017, docs/redis-protocol.md "Messages").
 *
 * <p><b>Paths.</b> Every message travels through Redis: {@link #send} encodes the envelope (CloudEvents
 * JSON) and runs the SEND script, which looks the recipient up in the swarm's inbox directory, applies the
 * inbox's capacity and overflow policy and XADDs the bytes to the recipient's stream; the node that opened
 * the recipient's inbox reads the stream with its {@link RedisMessengerReader}, the inbox's virtual thread
 * decodes and handles each message and acknowledges it afterwards (XACK + XDEL): at-least-once. When the
 * messenger does not marshal every send and the recipient's inbox is on this node, the handler receives the
 * sender's very envelope (found by the {@code r} field of the entry) instead of a decoded copy, as in one
 * JVM; the message still went through the stream. The sending side is {@link RedisMessengerSender}, the
 * receiving side {@link RedisInboxDelivery}; requests, replies and timeouts are in
 * {@link RedisMessengerRequests}.
 *
 * <p><b>Several in flight.</b> {@link #sendAsync} writes the SEND script call without waiting for its answer
 * (Lettuce pipelines it on the node's connection) and completes the future from the answer; at most
 * {@link #MAX_IN_FLIGHT} such sends of a node wait for their answers at a time, a caller past that waits for
 * a place (ADR 0068). Futures complete on virtual threads, never on Lettuce's I/O thread. A message that
 * finds a BLOCK inbox full waits in the node's lane for that recipient, and the node's later messages to it
 * wait behind it (a barrier in Redis refuses those already written): call order is kept (ADR 0070).
 *
 * <p><b>Outcomes.</b> DELIVERED means Redis appended the message to the recipient's stream. A send whose
 * script failed (Redis unreachable past the command timeout) is REJECTED with a dead letter saying why;
 * the message may still have been appended, and a retried send with the same message id is then a
 * duplicate the inbox suppresses.
 *
 * <p>Thread-safe. Closing it closes its inboxes and connections, not the link.
 */
final class RedisMessenger implements Messenger {
    static final String GROUP = "colony";
    /**
     * The most {@link #sendAsync} messages of one node unanswered by Redis at a time: 1,024, a few times
     * what one pipelined connection needs to keep Redis busy (ADR 0068), and bounded so that a sender
     * faster than Redis waits instead of queueing without end.
     */
    static final int MAX_IN_FLIGHT = 1024;

    private static final System.Logger LOG = System.getLogger("dev.colony.redis");
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final RedisTarget target;
    private final String nodeId = "n-" + Envelope.newId().substring(0, 13).replace("-", "");
    private final RedisMessengerOptions options;
    private final RedisMessengerDirectory directory;
    final MessageCodec codec;
    final boolean marshal;
    final InstantSource clock;
    private final RedisLinkConnection<String, byte[]> connection;
    final RedisClusterAsyncCommands<String, byte[]> redis;
    private final RedisMessengerReader reader;
    final RedisMessengerRequests requests;
    private final ConcurrentHashMap<AgentId, RedisInbox> inboxes = new ConcurrentHashMap<>();
    private final BoundedDeadLetters deadLetters;
    private final Duration closeTimeout;
    private final LongAdder abandoned = new LongAdder();
    final LongAdder sent = new LongAdder();
    private final LongAdder reclaimed = new LongAdder();
    private final LongAdder redisFailures = new LongAdder();
    private final LatencyRecorder marshalTime = new LatencyRecorder();
    final LatencyRecorder unmarshalTime = new LatencyRecorder();
    private final RedisMessengerSender sender;
    private final RedisInboxDelivery delivery;
    private final AtomicBoolean closing = new AtomicBoolean();
    volatile boolean closed;

    private RedisMessenger(RedisLink link, Settings settings, RedisMessengerOptions options) {
        this.target = link.target();
        this.options = options;
        this.sender = new RedisMessengerSender(this, options.nodeTtl());
        this.directory = new RedisMessengerDirectory(this, target, options);
        this.codec = settings.codec();
        this.marshal = settings.marshalEverySend();
        this.clock = settings.clock();
        this.delivery = new RedisInboxDelivery(this, codec, clock, settings.onHandlerFailure());
        this.deadLetters = new BoundedDeadLetters(settings.deadLetterCapacity(), settings.deadLetterBytes());
        this.closeTimeout = settings.closeTimeout();
        this.connection = link.connectBytes();
        this.redis = connection.async();
        this.requests = new RedisMessengerRequests(this, options);
        try {
            await(heartbeat());
            RedisMessengerScripts.preload(redis);
        } catch (RuntimeException e) {
            connection.close();
            requests.stop();
            throw e;
        }
        this.reader = new RedisMessengerReader(this, link.connectBytes(), nodeId, options);
        reader.start();
    }

    /** One node of the messenger of {@code link}'s swarm, with {@code settings}; closing it leaves the link open. */
    static Messenger open(RedisLink link, Messenger.Builder settings) {
        return open(link, settings, link.settings().messenger());
    }

    /** {@link #open(RedisLink, Messenger.Builder)} with settings already read from a builder. */
    static Messenger open(RedisLink link, Messenger.Settings settings) {
        return new RedisMessenger(
                Objects.requireNonNull(link, "link"),
                Objects.requireNonNull(settings, "settings"),
                link.settings().messenger());
    }

    static RedisMessenger open(RedisLink link, Messenger.Builder settings, RedisMessengerOptions options) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(options, "options");
        return new RedisMessenger(link, settings.settings(), options);
    }

    String nodeId() {
        return nodeId;
    }

    String key(String suffix) {
        return target.key(suffix);
    }

    String replyStream() {
        return key("replies:" + nodeId);
    }

    String stream(AgentId id) {
        return key("inbox:" + id);
    }

    RedisMessengerReader reader() {
        return reader;
    }

    RedisMessengerSender sender() {
        return sender;
    }

    RedisInboxDelivery delivery() {
        return delivery;
    }

    boolean hasInbox(AgentId id) {
        return inboxes.containsKey(id);
    }

    RedisInbox inbox(AgentId id) {
        return inboxes.get(id);
    }

    /** This node's inbox of {@code agent}: its stream's messages not yet handled (one Redis call). */
    @Override
    public OptionalInt inboxSize(AgentId agent) {
        RedisInbox inbox = inboxes.get(Objects.requireNonNull(agent, "agent"));
        return inbox == null || inbox.isClosed() ? OptionalInt.empty() : OptionalInt.of(inbox.size());
    }

    void removed(RedisInbox inbox) {
        inboxes.remove(inbox.id(), inbox);
    }

    CompletionStage<List<Object>> heartbeat() {
        return directory.heartbeat();
    }

    @Override
    public Inbox open(AgentId id, InboxOptions inboxOptions) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(inboxOptions, "options");
        if (closed) {
            throw new IllegalStateException("the messenger is closed");
        }
        RedisInbox inbox = new RedisInbox(this, id, inboxOptions, stream(id), options);
        if (inboxes.putIfAbsent(id, inbox) != null) {
            throw new IllegalStateException("agent \"" + id + "\" already has an open inbox");
        }
        try {
            directory.enter(inbox);
        } catch (IllegalStateException e) {
            inboxes.remove(id, inbox);
            throw e;
        }
        if (closed) {
            inbox.close();
            throw new IllegalStateException("the messenger is closed");
        }
        return inbox;
    }

    /** After NOGROUP (the streams vanished): registers this node's inboxes and reply stream again. */
    void registerAgain(Collection<RedisInbox> attached) {
        directory.registerAgain(inboxes.values());
    }

    @Override
    public SendOutcome send(Envelope message) {
        Objects.requireNonNull(message, "message");
        if (message.recipient() == null) {
            throw new IllegalArgumentException("message \"" + message.id() + "\" has no recipient; use broadcast");
        }
        sent.increment();
        return route(message, message.recipient(), null, null, 0);
    }

    /**
     * Sends without waiting for Redis: the SEND script call is written to the connection at once, pipelined
     * behind the node's other commands, and the future completes from its answer. At most
     * {@link #MAX_IN_FLIGHT} sends of this node are unanswered at a time; a caller past that waits here for
     * a place. The connection keeps the order of the calls, so one thread's messages to one recipient are
     * appended in call order, also while a BLOCK inbox is full ({@link RedisSendLanes}); except a priority
     * 8-9 message waiting for room under DROP_OLDEST or DROP_NEWEST, and messages whose script Redis had
     * forgotten, which run again as EVAL.
     */
    @Override
    public CompletableFuture<SendOutcome> sendAsync(Envelope message) {
        Objects.requireNonNull(message, "message");
        AgentId to = message.recipient();
        if (to == null) {
            throw new IllegalArgumentException("message \"" + message.id() + "\" has no recipient; use broadcast");
        }
        sent.increment();
        SendOutcome refused = refused(message, to);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        byte[] encoded = encode(message, to);
        if (encoded == null) {
            return CompletableFuture.completedFuture(SendOutcome.REJECTED);
        }
        return sender.deliverAsync(message, encoded, to, message.priority());
    }

    /** Checks, encodes and delivers {@code message} to {@code to}; registers a request when {@code requestKey} is set. */
    SendOutcome route(Envelope message, AgentId to, String requestKey, String requestValue, long ttlMillis) {
        SendOutcome refused = refused(message, to);
        if (refused != null) {
            return refused;
        }
        byte[] encoded = encode(message, to);
        if (encoded == null) {
            return SendOutcome.REJECTED;
        }
        return sender.deliver(message, encoded, to, message.priority(), requestKey, requestValue, ttlMillis);
    }

    /** The outcome, its dead letter recorded, when the messenger is closed or the deadline has passed; else null. */
    private SendOutcome refused(Envelope message, AgentId to) {
        if (closed) {
            return deadLetter(
                    message, null, to, DeadLetter.Reason.REJECTED, "the messenger is closed", SendOutcome.REJECTED);
        }
        if (message.deadline() != null && message.deadline().isBefore(clock.instant())) {
            return deadLetter(
                    message,
                    null,
                    to,
                    DeadLetter.Reason.EXPIRED,
                    "its deadline " + message.deadline() + " had passed when it was sent",
                    SendOutcome.EXPIRED);
        }
        return null;
    }

    /** The encoded message, or null with a REJECTED dead letter when it is too large or not encodable. */
    private byte[] encode(Envelope message, AgentId to) {
        long start = System.nanoTime();
        try {
            return codec.encode(message);
        } catch (MessageTooLargeException e) {
            deadLetter(message, null, to, DeadLetter.Reason.TOO_LARGE, e.getMessage(), SendOutcome.REJECTED);
        } catch (IllegalArgumentException e) {
            deadLetter(message, null, to, DeadLetter.Reason.UNENCODABLE, e.getMessage(), SendOutcome.REJECTED);
        } finally {
            marshalTime.record(System.nanoTime() - start);
        }
        return null;
    }

    @Override
    public CompletableFuture<Envelope> request(Envelope message, Duration timeout) {
        return requests.request(message, timeout);
    }

    @Override
    public SendOutcome reply(Envelope request, String type, Object payload) {
        return requests.reply(request, type, payload);
    }

    @Override
    public BroadcastResult broadcast(Audience audience, Envelope message, boolean includeSender) {
        Objects.requireNonNull(message, "message");
        List<AgentId> members = Objects.requireNonNull(audience, "audience")
                .members(directory.agents(), message.source(), includeSender);
        sent.add(members.size());
        return BroadcastResult.of(
                members,
                id -> route(message.withRecipient(id), id, null, null, 0).delivered());
    }

    @Override
    public SendOutcome deliverEncoded(AgentId recipient, byte[] message) {
        boolean refused =
                deadLetters.refuseReceived(message, recipient, closed, codec.maxMessageBytes(), clock.instant());
        sent.increment(); // after the argument checks, as before: a null is not a send
        if (refused) {
            return SendOutcome.REJECTED;
        }
        return sender.deliver(null, message.clone(), recipient, Event.NORMAL_PRIORITY, null, null, 0);
    }

    Envelope decodeQuietly(byte[] encoded, Class<?> payloadType) {
        try {
            return codec.decode(encoded, payloadType);
        } catch (RuntimeException e) {
            return null;
        }
    }

    void onReplies(List<io.lettuce.core.StreamMessage<String, byte[]>> replies) {
        requests.onReplies(replies);
    }

    void reclaimed(int count) {
        reclaimed.add(count);
    }

    @Override
    public void deadLetter(Envelope message, AgentId recipient, DeadLetter.Reason reason, String detail) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        deadLetter(message, null, recipient, reason, detail, SendOutcome.REJECTED);
    }

    /**
     * Records a dead letter (with the envelope, the bytes, or both) and, if it was a request, fails it.
     * Returns {@code outcome}, for the caller to pass on.
     */
    SendOutcome deadLetter(
            Envelope envelope,
            byte[] encoded,
            AgentId to,
            DeadLetter.Reason reason,
            String detail,
            SendOutcome outcome) {
        deadLetters.add(new DeadLetter(envelope, encoded, to, reason, detail, clock.instant()));
        if (envelope != null) {
            requests.undelivered(envelope, reason, detail);
        }
        return outcome;
    }

    @Override
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    public MessengerMetrics metrics() {
        return new MessengerMetrics(
                sent.sum(),
                delivery.handled() + requests.replies().replied(),
                delivery.failed(),
                requests.replies().timedOut(),
                deadLetters.total(),
                abandoned.sum(),
                requests.replies().waiting(),
                marshalTime.snapshot(),
                unmarshalTime.snapshot(),
                requests.replies().roundTrip());
    }

    /** Messages skipped because their id was handled recently (at-least-once redeliveries, retried sends). */
    long duplicatesSuppressed() {
        return delivery.duplicates();
    }

    /** Claimed entries dead-lettered and acknowledged because they were delivered more than maxDeliveries times. */
    long overDelivered() {
        return delivery.overDelivered();
    }

    /** Entries this node claimed from a consumer that held them past the claim idle time. */
    long reclaimedEntries() {
        return reclaimed.sum();
    }

    /** Redis commands that failed (reads, acknowledgements, sends, heartbeats). */
    long redisFailures() {
        return redisFailures.sum() + (reader == null ? 0 : reader.failures()) + requests.failures();
    }

    void countFailure() {
        redisFailures.increment();
    }

    @Override
    public MessageCodec codec() {
        return codec;
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        requests.closeAll();
        List<RedisInbox> open = new ArrayList<>(inboxes.values());
        List<RedisInbox> stopped = new ArrayList<>();
        for (RedisInbox inbox : open) {
            if (inbox.stop()) {
                stopped.add(inbox);
            }
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        abandoned(InboxDrainer.awaitAll(open, RedisInbox::drainer, deadline));
        stopped.forEach(RedisInbox::finishClose);
        reader.stop();
        requests.stop();
        sender.lanes().close(System.nanoTime() + CLOSE_TIMEOUT.toNanos());
        try {
            await(redis.del(key("node:" + nodeId), replyStream()), CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            redisFailures.increment(); // the node key expires and the reply stream with it
        }
        connection.close();
        sender.roomMade();
    }

    long closeTimeoutNanos() {
        return closeTimeout.toNanos();
    }

    /** Counts the inboxes whose running handlers were abandoned, and logs one line naming their agents. */
    void abandoned(List<RedisInbox> inboxes) {
        if (inboxes.isEmpty()) {
            return;
        }
        abandoned.add(inboxes.size());
        LOG.log(
                System.Logger.Level.WARNING,
                "messenger node " + nodeId + " closed with handlers still running after " + closeTimeout
                        + "; interrupted and abandoned the handlers of agents "
                        + inboxes.stream().map(RedisInbox::id).toList());
    }

    @Override
    public String toString() {
        return "RedisMessenger[" + target + ", node " + nodeId + "]";
    }
}
