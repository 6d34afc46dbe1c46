package dev.colony.redis;

import dev.colony.bus.BusGap;
import dev.colony.bus.BusMetrics;
import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.HandlerFailure;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One node of a swarm's event bus over Redis pub/sub (ADR 0016, docs/redis-protocol.md "Events").
 *
 * <p><b>Shape.</b> Each node keeps an embedded bus for its own subscriptions, which routes, orders,
 * queues and counts exactly as the embedded bus does. A publish is delivered to this node's subscribers
 * directly, as on the embedded bus, and is also sent to Redis ({@link RedisEventBusSender}) for the other
 * nodes. Events from Redis ({@link RedisEventBusReceiver}) are handed to the embedded bus by the node's
 * receiver thread, except this node's own, which it already delivered.
 *
 * <p><b>What a node knows.</b> A {@link PublishResult} and the dead-event handler speak of this node's
 * subscriptions only: pub/sub does not tell the publisher who received an event elsewhere. The result's
 * {@code dropped} also counts the event's copy for Redis when the outbound buffer dropped it. {@link
 * #metrics()} are this node's: {@code published} counts publishes made on this node; {@code delivered},
 * {@code failed}... count deliveries to this node's subscriptions wherever the event was published;
 * {@code dropped} adds the events lost on the way through Redis (outbound buffer full, inbound queue
 * full, PUBLISH failed).
 *
 * <p><b>Delivery across nodes</b> is at most once: an event published while a node's pub/sub connection
 * is down is not delivered to that node. Per publisher, events arrive at each remote subscription in
 * publish order. A subscription's {@code subscribe} returns after Redis confirmed its pattern (when
 * connected), so every later publish on any node reaches it.
 *
 * <p><b>Channels</b> (ADR 0075). By default a node publishes every event on its own node channel, so that the
 * sender joins a drain of many subjects into one PUBLISH in publish order, and every node with a subscription
 * hears every such event and routes it by subject itself. With the backend option {@code busChannels=subject}
 * it publishes on one channel per subject instead (ADR 0016). A node receives both kinds either way.
 */
final class RedisEventBus implements EventBus {
    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

    private final String node;
    private final RedisEventBusChannels channels;
    private final String nodeChannel; // null when the node publishes on subject channels
    private final RedisEventBusFrame codec;
    private final EventBus local;
    private final RedisEventBusSender sender;
    private final RedisEventBusReceiver receiver;
    private final RedisTaskWatch taskWatch;
    private final Duration closeTimeout;
    private final Map<Subscription, RedisEventBusSubscription> wrappers = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final LongAdder published = new LongAdder();
    private volatile boolean closed;
    private volatile Probe probe;

    /**
     * Observes events on their way through Redis, for tests that wait for a remote delivery. {@link
     * #sent} runs on the publishing thread before the event is offered to the outbound buffer; {@link
     * #delivered} on the receiving node's dispatcher thread after its local delivery (with
     * {@link PublishResult#DEAD} when no subscription of the node matched).
     */
    interface Probe {
        void sent(String id);

        void delivered(String id, PublishResult result);
    }

    private RedisEventBus(RedisLink link, EventBus.Builder.Settings settings, RedisEventBusSender.Limits limits) {
        this.node = HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextLong())
                .substring(4);
        this.channels = new RedisEventBusChannels(link.target());
        this.nodeChannel = link.settings().busChannels() == RedisEventBusChannels.Publishing.NODE
                ? channels.nodeChannel(node)
                : null;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.codec = new RedisEventBusFrame(loader != null ? loader : RedisEventBus.class.getClassLoader());
        Consumer<HandlerFailure> failures = settings.failureHandler().orElse(null);
        Consumer<Event> deadEvents = settings.deadEventHandler().orElse(null);
        EventBus.Builder localSettings = EventBus.builder()
                .routeCacheCapacity(settings.routeCacheCapacity())
                .latencySampling(settings.latencySampling())
                .closeTimeout(settings.closeTimeout())
                .onHandlerFailure(failure -> reportFailure(failure, failures))
                .onDeadEvent(event -> deadEvent(event, deadEvents));
        settings.drainerThreads().ifPresent(localSettings::drainerThreads);
        this.local = localSettings.build();
        this.closeTimeout = settings.closeTimeout();
        this.sender = new RedisEventBusSender(link, node, limits);
        this.taskWatch = new RedisTaskWatch(link, "bus-" + node);
        this.receiver = new RedisEventBusReceiver(
                link, channels, codec, node, link.settings().inboundBuffer(), new RedisEventBusReceiver.Delivery() {
                    @Override
                    public void deliver(String id, Event event) {
                        RedisEventBus.this.deliver(id, local.publish(event));
                    }

                    @Override
                    public void unmatched(String id) {
                        RedisEventBus.this.deliver(id, PublishResult.DEAD);
                    }

                    @Override
                    public void missed(String publisher, String subject, long missed) {
                        RedisEventBus.this.missed(publisher, subject, missed);
                    }
                });
    }

    /**
     * Opens one node of the swarm's event bus on {@code link}, with the settings of {@code settings}.
     * Closing the bus does not close the link.
     */
    static EventBus open(RedisLink link, EventBus.Builder settings) {
        return open(link, settings, link.settings().publishLimits());
    }

    /** {@link #open(RedisLink, EventBus.Builder)} with settings already read from a builder. */
    static EventBus open(RedisLink link, EventBus.Builder.Settings settings) {
        return new RedisEventBus(
                Objects.requireNonNull(link, "link"),
                Objects.requireNonNull(settings, "settings"),
                link.settings().publishLimits());
    }

    static RedisEventBus open(RedisLink link, EventBus.Builder settings, RedisEventBusSender.Limits limits) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(limits, "limits");
        return new RedisEventBus(link, settings.settings(), limits);
    }

    /** This node's id, written in the {@code colonynode} attribute of its frames. */
    String node() {
        return node;
    }

    @Override
    public PublishResult publish(String subject, Object payload) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payload, "payload");
        checkOpen();
        return publish(new Event(Subject.of(subject), payload, Event.NORMAL_PRIORITY));
    }

    @Override
    public PublishResult publish(Event event) {
        Objects.requireNonNull(event, "event");
        checkOpen();
        String id = nextId();
        byte[] frame = codec.encode(node, id, event); // first: a payload that cannot travel is refused at once
        PublishResult result = local.publish(event);
        published.increment();
        return send(id, event, frame) ? result : withDrop(result);
    }

    @Override
    public PublishResult publishAll(List<Event> events) {
        Event.checkAll(events);
        checkOpen();
        String[] ids = new String[events.size()];
        byte[][] frames = new byte[events.size()][];
        for (int i = 0; i < frames.length; i++) {
            ids[i] = nextId();
            frames[i] = codec.encode(node, ids[i], events.get(i));
        }
        PublishResult result = local.publishAll(events);
        published.add(events.size());
        int drops = 0;
        for (int i = 0; i < frames.length; i++) {
            drops += send(ids[i], events.get(i), frames[i]) ? 0 : 1;
        }
        for (int i = 0; i < drops; i++) {
            result = withDrop(result);
        }
        return result;
    }

    private String nextId() {
        return node + "-" + sequence.incrementAndGet();
    }

    private boolean send(String id, Event event, byte[] frame) {
        Probe observer = probe;
        if (observer != null) {
            observer.sent(id);
        }
        return sender.offer(
                new RedisEventBusSender.Outgoing(
                        nodeChannel != null
                                ? nodeChannel
                                : channels.channel(event.subject().value()),
                        frame),
                event.isCritical());
    }

    private static PublishResult withDrop(PublishResult r) {
        return new PublishResult(r.matched(), r.accepted(), r.dropped() + 1, r.rejected(), r.failed());
    }

    @Override
    public Subscription subscribe(SubjectPattern pattern, EventHandler handler, SubscribeOptions options) {
        checkOpen();
        Subscription delegate = local.subscribe(pattern, handler, options); // checks the arguments
        RedisEventBusSubscription subscription = new RedisEventBusSubscription(delegate, this);
        wrappers.put(delegate, subscription);
        List<RedisFuture<Void>> confirmations = receiver.register(pattern);
        if (receiver.isConnected()) {
            try {
                awaitConfirmation(pattern, confirmations);
            } catch (IllegalStateException refused) {
                subscription.close();
                throw refused;
            }
        }
        if (RedisTaskWatch.couldSeeTasks(pattern)) {
            taskWatch.watch(); // before returning: every state script that starts later announces (ADR 0076)
        }
        return subscription;
    }

    /**
     * Waits until Redis confirmed the PSUBSCRIBE, so that every publish that starts afterwards, on any
     * node, reaches the subscription. While disconnected it does not wait: Lettuce sends the command on
     * reconnect. Throws {@link IllegalStateException} when Redis refused it (an ACL user without the
     * channel, say): the subscription would never hear another node.
     */
    private void awaitConfirmation(SubjectPattern pattern, List<RedisFuture<Void>> confirmations) {
        try {
            long deadline = System.nanoTime() + RedisLink.MAX_COMMAND_TIMEOUT.toNanos();
            for (RedisFuture<Void> confirmation : confirmations) {
                confirmation.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisCommandExecutionException refused) {
                String globs = channels.glob(pattern) + " and " + channels.nodeGlob();
                throw new IllegalStateException(
                        "Redis refused the event bus subscription to " + pattern
                                + " (PSUBSCRIBE " + globs + "): " + refused.getMessage()
                                + ". Redis checks a PSUBSCRIBE pattern by string equality with the ACL user's channel"
                                + " rules: give the user allchannels (&*) or the rules &" + channels.glob(pattern)
                                + " and &" + channels.nodeGlob(),
                        refused);
            }
            LOG.log(
                    Level.WARNING,
                    "event bus node " + node + ": Redis did not confirm the subscription to " + pattern + " yet (" + e
                            + "); it delivers this node's events, other nodes' once confirmed");
        } catch (TimeoutException e) {
            LOG.log(
                    Level.WARNING,
                    "event bus node " + node + ": Redis did not confirm the subscription to " + pattern + " yet (" + e
                            + "); it delivers this node's events, other nodes' once confirmed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Events of another node that never arrived (ADR 0036): logged, counted in {@link BusMetrics#missed()}, and
     * announced to this node's own subscribers as {@value BusGap#SUBJECT} (never sent to other nodes). The subject
     * is {@code >} for events of a node channel (ADR 0075): they may have been of any subject.
     */
    private void missed(String publisher, String subject, long missed) {
        LOG.log(
                Level.WARNING,
                "event bus node " + node + " missed " + missed + " event(s) of node " + publisher + " on " + subject
                        + " (a gap in its sequence numbers)");
        local.publish(BusGap.SUBJECT, new BusGap(publisher, subject, missed));
    }

    /** An event from another node, after its delivery to this node's matching subscriptions (if any). */
    private void deliver(String id, PublishResult result) {
        Probe observer = probe;
        if (observer != null) {
            observer.delivered(id, result);
        }
    }

    /**
     * Installs a probe (tests only). With {@code hearAll}, the node also subscribes to every event of the
     * swarm, so that the probe hears of events no subscription of the node matches; returns once Redis
     * confirmed that subscription.
     */
    void probe(Probe probe, boolean hearAll) {
        this.probe = probe;
        if (hearAll) {
            awaitConfirmation(SubjectPattern.of(">"), receiver.listenToAll());
        }
    }

    /** Called once by a closing subscription, before its local close. */
    void unsubscribe(RedisEventBusSubscription subscription) {
        receiver.unregister(subscription.pattern());
        if (RedisTaskWatch.couldSeeTasks(subscription.pattern())) {
            taskWatch.unwatch();
        }
    }

    void forget(Subscription delegate) {
        wrappers.remove(delegate);
    }

    private void reportFailure(HandlerFailure failure, Consumer<HandlerFailure> handler) {
        RedisEventBusSubscription wrapper = wrappers.get(failure.subscription());
        HandlerFailure mapped =
                wrapper == null ? failure : new HandlerFailure(wrapper, failure.event(), failure.error());
        if (handler != null) {
            handler.accept(mapped); // a throw is caught and logged by the embedded bus
        } else {
            LOG.log(
                    Level.WARNING,
                    "handler of " + mapped.subscription() + " failed on "
                            + failure.event().subject(),
                    failure.error());
        }
    }

    private void deadEvent(Event event, Consumer<Event> handler) {
        // an event from another node is dead here only when its subscription closed while it was on the
        // way (the receiver checked the patterns): that is no news to this node's dead-event handler
        if (handler != null && Thread.currentThread() != receiver.dispatcherThread()) {
            handler.accept(event);
        }
    }

    /** This node's subscriptions that match {@code subject}: other nodes' are not known here. */
    @Override
    public int subscriberCount(Subject subject) {
        return local.subscriberCount(subject);
    }

    @Override
    public BusMetrics metrics() {
        BusMetrics m = local.metrics();
        long lost = sender.dropped() + sender.failed() + receiver.dropped();
        return new BusMetrics(
                published.sum(),
                m.delivered(),
                m.failed(),
                m.dropped() + lost,
                m.rejected(),
                m.discarded(),
                m.abandoned(),
                m.dead(),
                m.subscriptions(),
                m.queueDepth(),
                m.routeCacheHits(),
                m.routeCacheMisses(),
                m.routeCacheSize(),
                m.asyncLatency(),
                receiver.missed());
    }

    /** The thread that hands events from Redis to this node's subscriptions (measurements). */
    Thread receiverThread() {
        return receiver.dispatcherThread();
    }

    /** Whether both of the node's connections (publishing and pub/sub) are up now. */
    boolean isConnected() {
        return sender.isConnected() && receiver.isConnected();
    }

    /** The counters of the way through Redis. */
    RedisEventBusStats wireStats() {
        return new RedisEventBusStats(
                sender.sent(),
                sender.dropped(),
                sender.failed(),
                sender.depth(),
                receiver.received(),
                receiver.echoes(),
                receiver.dropped(),
                receiver.malformed(),
                receiver.unmatched(),
                receiver.resubscribed(),
                receiver.depth(),
                receiver.missed());
    }

    /**
     * Closes every subscription, stops receiving, sends what is still buffered (for up to two seconds,
     * the rest counted as dropped) and closes the bus's own connections; not the link. Idempotent.
     *
     * <p>Handlers get the same close timeout as on the embedded bus, whose close this calls: ASYNC handlers
     * still running then are interrupted and counted as abandoned. A DIRECT handler of this node runs on
     * its receiver thread (for events from other nodes), which the node owns: when that thread is still in
     * a handler once the timeout has passed (at least a second is left to it, the receiver's poll period
     * being a tenth of that), it is interrupted and logged too.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        closed = true;
        taskWatch.close();
        receiver.close();
        local.close();
        receiver.awaitStopped(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
        sender.close();
        wrappers.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the event bus is closed");
        }
    }

    @Override
    public String toString() {
        return "RedisEventBus[node " + node + ", " + channels.prefix() + "]";
    }
}
