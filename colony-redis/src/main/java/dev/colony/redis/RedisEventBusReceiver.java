package dev.colony.redis;

import dev.colony.bus.Event;
import dev.colony.bus.SubjectPattern;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The receiving side of one Redis event bus node: one pub/sub connection with one PSUBSCRIBE per distinct
 * glob (reference-counted), a bounded inbound queue, and one dispatcher thread.
 *
 * <p><b>One delivery per message.</b> Redis sends a message once for each of the connection's patterns
 * that match its channel. The listener keeps the set of patterns Redis confirmed, updated by the
 * confirmations, which arrive in order with the messages; of the copies of a message it keeps the one
 * whose pattern is the least (in string order) of the confirmed patterns matching the channel. Lettuce
 * resubscribes every pattern in one command after a reconnect, so the set is right again before any
 * message of the new connection.
 *
 * <p><b>Node channels</b> (ADR 0075). While the node has a subscription it also PSUBSCRIBEs the swarm's node
 * glob, so it hears every event that nodes publishing on their node channel send, whatever the subject: a
 * message there is a batch of frames of many subjects in the publisher's order, each frame naming its subject.
 * The dispatcher routes each frame by that subject; the {@code data} of a frame no subscription of the node
 * wants is skipped by the reader, not built. Its own node channel is skipped by name on the event loop.
 *
 * <p><b>Exact match.</b> Globs over-match ({@code *} crosses dots; regexes use their literal prefix), so
 * the dispatcher delivers an event only if an open subscription's {@link SubjectPattern} matches its
 * subject exactly; it caches that answer per subject until the set of patterns changes.
 *
 * <p><b>Threads.</b> The listener runs on Lettuce's event loop and never blocks: it skips this node's own
 * messages by their first bytes and offers the rest to the inbound queue. A full queue drops the message
 * (one event or a batch) and counts it ({@link #dropped()}). The dispatcher decodes and hands events to the node's local bus,
 * where DIRECT handlers run on it and ASYNC ones are queued in their mailboxes (a full BLOCK mailbox
 * makes it wait, and the inbound queue absorbs the wait up to its bound).
 */
final class RedisEventBusReceiver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisEventBusReceiver.class.getName());
    /** The inbound queue's second bound, in bytes of queued messages (a batch message is up to 64 KiB). */
    static final long MAX_INBOUND_BYTES = 64L << 20;

    private record Incoming(String channel, byte[] frame) {}

    /** The subject a gap on a node channel names: the missed events may have been of any subject. */
    static final String ANY_SUBJECT = ">";

    /** Where received events go. */
    interface Delivery {
        /** An event an open subscription's pattern matches. */
        void deliver(String id, Event event);

        /** An event no open subscription's pattern matches (a glob over-matched, or a node channel's other subjects). */
        void unmatched(String id);

        /**
         * {@code missed} events of {@code publisher} on {@code subject} never reached this node; {@code subject} is
         * {@value #ANY_SUBJECT} for a node channel.
         */
        void missed(String publisher, String subject, long missed);
    }

    /** A message read whole: its frames and their routes, in order. */
    private record Batch(List<RedisEventBusFrame.Decoded> frames, RedisEventBusRoutes.Route[] routes) {}

    private final RedisEventBusChannels channels;
    private final RedisEventBusFrame codec;
    private final String node;
    private final String nodeGlob;
    private final String ownChannel;
    private final byte[] echoPrefix;
    private final Delivery dispatch;
    private final StatefulRedisPubSubConnection<String, byte[]> connection;
    private final ArrayBlockingQueue<Incoming> inbound;
    private final Thread dispatcher;

    /** A glob in use: how many subscriptions use it, and its PSUBSCRIBE's confirmation. */
    private record Glob(int references, RedisFuture<Void> confirmation) {}

    // guarded by `this`: the globs in use (one PSUBSCRIBE each) and reference counts of exact patterns
    private final Map<String, Glob> globs = new HashMap<>();
    private final Map<SubjectPattern, Integer> patterns = new HashMap<>();
    private volatile SubjectPattern[] interest = new SubjectPattern[0];

    // written and read by the event loop (a concurrent set because a reconnect may move the connection
    // to another event-loop thread): the patterns Redis confirmed
    private final NavigableSet<String> confirmed = new ConcurrentSkipListSet<>();

    private final RedisEventBusRoutes routes = new RedisEventBusRoutes(); // dispatcher thread only
    private volatile boolean hearAll; // set once by listenToAll (tests)

    private final LongAdder received = new LongAdder();
    private final LongAdder echoes = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder resubscribed = new LongAdder();
    private final LongAdder missed = new LongAdder();
    // dispatcher thread only: baselines of subject channels, and of node channels (ADR 0075)
    private final RedisEventBusGaps subjectGaps = new RedisEventBusGaps();
    private final RedisEventBusGaps nodeGaps = new RedisEventBusGaps();
    // bumped (under `this`) when a subject glob, or the node glob, is released; the dispatcher then forgets
    // that kind's baselines: events of an interval in which nobody here listened are not losses
    private volatile int subjectsShrunk;
    private volatile int nodesShrunk;
    private int subjectsForgotAt; // dispatcher thread only
    private int nodesForgotAt; // dispatcher thread only
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile boolean closed;

    RedisEventBusReceiver(
            RedisLink link,
            RedisEventBusChannels channels,
            RedisEventBusFrame codec,
            String node,
            int capacity,
            Delivery dispatch) {
        this.channels = channels;
        this.codec = codec;
        this.node = node;
        this.nodeGlob = channels.nodeGlob();
        this.ownChannel = channels.nodeChannel(node);
        this.echoPrefix = RedisEventBusFrame.echoPrefix(node);
        this.dispatch = dispatch;
        this.inbound = new ArrayBlockingQueue<>(capacity);
        this.connection = link.connectPubSub();
        this.connection.addListener(new Listener());
        this.dispatcher =
                Thread.ofPlatform().daemon().name("colony-bus-receiver-" + node).start(this::run);
    }

    /** The thread that dispatches events received from Redis. */
    Thread dispatcherThread() {
        return dispatcher;
    }

    /**
     * Adds interest in {@code pattern}: PSUBSCRIBEs its glob, and the node glob, if no other subscription of
     * this node uses them. Returns their PSUBSCRIBE futures, which another subscription may have started (and
     * which may be done already): wait for them before relying on events from other nodes.
     */
    synchronized List<RedisFuture<Void>> register(SubjectPattern pattern) {
        patterns.merge(pattern, 1, Integer::sum);
        interest = patterns.keySet().toArray(SubjectPattern[]::new);
        return List.of(use(channels.glob(pattern)), use(nodeGlob));
    }

    private RedisFuture<Void> use(String glob) {
        Glob used = globs.get(glob);
        Glob now = used == null
                ? new Glob(1, connection.async().psubscribe(glob))
                : new Glob(used.references() + 1, used.confirmation());
        globs.put(glob, now);
        return now.confirmation();
    }

    /**
     * Subscribes to every event channel of the swarm, beside the subscriptions' globs, so that every
     * event reaches {@link Delivery#deliver} (with {@code matched} false when no pattern matches). For
     * tests that must hear of every event; returns the PSUBSCRIBE's future.
     */
    synchronized List<RedisFuture<Void>> listenToAll() {
        hearAll = true;
        return List.of(use(channels.everything()), use(nodeGlob));
    }

    /** Removes one interest in {@code pattern}; PUNSUBSCRIBEs its glob when no subscription uses it. */
    synchronized void unregister(SubjectPattern pattern) {
        if (closed) {
            return;
        }
        if (patterns.merge(pattern, -1, Integer::sum) == 0) {
            patterns.remove(pattern);
        }
        interest = patterns.keySet().toArray(SubjectPattern[]::new);
        release(channels.glob(pattern));
        release(nodeGlob);
    }

    private void release(String glob) {
        Glob used = globs.get(glob);
        if (used.references() == 1) {
            globs.remove(glob);
            if (glob.equals(nodeGlob)) {
                nodesShrunk++; // guarded by `this`; read by the dispatcher
            } else {
                subjectsShrunk++;
            }
            connection.async().punsubscribe(glob); // the reply needs no wait: a late message is matched out
        } else {
            globs.put(glob, new Glob(used.references() - 1, used.confirmation()));
        }
    }

    /** Whether the pub/sub connection is up now. */
    boolean isConnected() {
        return connection.isOpen();
    }

    private final class Listener extends RedisPubSubAdapter<String, byte[]> {
        @Override
        public void message(String pattern, String channel, byte[] frame) {
            if (pattern.equals(nodeGlob)) {
                if (channel.equals(ownChannel)) {
                    echoes.increment(); // this node's own batch: its subscribers had every event of it
                    return;
                }
            } else if (confirmed.size() > 1 && !pattern.equals(first(channel))) {
                return; // another of this connection's patterns carries the same message
            }
            if (isEcho(frame)) {
                echoes.increment();
                return;
            }
            if (!enqueue(new Incoming(channel, frame))) {
                dropped.increment();
                long n = dropped.sum();
                if ((n & (n - 1)) == 0) { // 1, 2, 4, 8...: a flood of drops is reported, not logged each time
                    LOG.log(
                            Level.WARNING,
                            "event bus node " + node + ": inbound queue full, " + n + " messages dropped");
                }
            }
        }

        @Override
        public void psubscribed(String pattern, long count) {
            if (!confirmed.add(pattern)) {
                // confirmed again: Lettuce re-subscribed after the connection was lost (Redis restarted, or
                // closed a subscriber that fell behind: client-output-buffer-limit pubsub). Events published
                // meanwhile did not reach this node.
                resubscribed.increment();
                LOG.log(
                        Level.WARNING,
                        "event bus node " + node + ": re-subscribed " + pattern
                                + " after losing the pub/sub connection; events published meanwhile were not received");
            }
        }

        @Override
        public void punsubscribed(String pattern, long count) {
            confirmed.remove(pattern);
        }
    }

    /** Queues a message within both bounds (messages and bytes); false when it does not fit. */
    private boolean enqueue(Incoming incoming) {
        int length = incoming.frame().length;
        if (queuedBytes.addAndGet(length) > MAX_INBOUND_BYTES || !inbound.offer(incoming)) {
            queuedBytes.addAndGet(-length);
            return false;
        }
        return true;
    }

    /** The least confirmed pattern that matches the channel (event-loop thread). */
    private String first(String channel) {
        for (String glob : confirmed) {
            if (RedisEventBusChannels.globMatches(glob, channel)) {
                return glob;
            }
        }
        return null;
    }

    /** Whether a message (a frame, or a batch whose first frame) starts with this node's id. */
    private boolean isEcho(byte[] frame) {
        int from = frame.length > 0 && frame[0] == '[' ? 1 : 0;
        int length = echoPrefix.length;
        return frame.length >= from + length && Arrays.equals(frame, from, from + length, echoPrefix, 0, length);
    }

    private void run() {
        while (!closed) {
            Incoming incoming;
            try {
                incoming = inbound.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // nothing interrupts it on purpose; the loop checks `closed`
            }
            if (incoming != null) {
                queuedBytes.addAndGet(-incoming.frame().length);
            }
            if (incoming != null && !closed) {
                handle(incoming);
            }
        }
    }

    private void handle(Incoming incoming) {
        boolean nodeChannel = channels.isNodeChannel(incoming.channel());
        Batch batch = read(incoming, nodeChannel);
        if (batch == null) {
            return;
        }
        RedisEventBusGaps gaps = baselines(nodeChannel);
        for (int i = 0; i < batch.routes().length; i++) {
            RedisEventBusFrame.Decoded frame = batch.frames().get(i);
            RedisEventBusRoutes.Route route = batch.routes()[i];
            if (node.equals(frame.node())) {
                echoes.increment(); // an echo the first bytes did not give away (attributes in another order)
                continue;
            }
            long lost = gaps.observe(frame.node(), incoming.channel(), frame.seq());
            if (lost > 0) {
                missed.add(lost);
                dispatch.missed(
                        frame.node(),
                        nodeChannel ? ANY_SUBJECT : route.subject().value(),
                        lost);
            }
            received.increment();
            try {
                if (route.matched() && frame.payload() != null) {
                    dispatch.deliver(frame.id(), new Event(route.subject(), frame.payload(), frame.priority()));
                } else {
                    unmatched.increment();
                    dispatch.unmatched(frame.id());
                }
            } catch (IllegalStateException e) {
                return; // the bus closed under us; what is left in the queue is not delivered
            }
        }
    }

    /** Decodes a message and routes its frames, all under one snapshot of the patterns; null (counted) if malformed. */
    private Batch read(Incoming incoming, boolean nodeChannel) {
        SubjectPattern[] now = interest;
        try {
            String channelSubject = null;
            if (!nodeChannel) {
                channelSubject = channels.subject(incoming.channel());
                if (channelSubject == null) {
                    throw new RedisEventBusFrame.MalformedFrame("not an event channel of this swarm");
                }
            }
            List<RedisEventBusFrame.Decoded> frames = codec.decode(
                    incoming.frame(), channelSubject, nodeChannel ? subject -> wanted(subject, now) : null);
            RedisEventBusRoutes.Route[] routed = new RedisEventBusRoutes.Route[frames.size()];
            for (int i = 0; i < routed.length; i++) {
                routed[i] = routes.route(frames.get(i).subject(), now);
                if (routed[i].subject() == null) {
                    throw new RedisEventBusFrame.MalformedFrame(
                            "\"" + frames.get(i).subject() + "\" is not a valid subject");
                }
            }
            return new Batch(frames, routed);
        } catch (RedisEventBusFrame.MalformedFrame e) {
            malformed.increment();
            LOG.log(
                    Level.WARNING,
                    "event bus node " + node + " ignored a malformed message on " + incoming.channel() + ": "
                            + e.getMessage());
            return null;
        }
    }

    /** The baselines of a node or subject channel, forgotten first if that kind of glob was released since. */
    private RedisEventBusGaps baselines(boolean nodeChannel) {
        if (nodeChannel) {
            int shrunk = nodesShrunk;
            if (shrunk != nodesForgotAt) {
                nodeGaps.forget();
                nodesForgotAt = shrunk;
            }
            return nodeGaps;
        }
        int shrunk = subjectsShrunk;
        if (shrunk != subjectsForgotAt) {
            subjectGaps.forget();
            subjectsForgotAt = shrunk;
        }
        return subjectGaps;
    }

    /** Whether the payloads of {@code subject} are to be read: some subscription matches it (or the node hears all). */
    private boolean wanted(String subject, SubjectPattern[] now) {
        return hearAll || routes.route(subject, now).matched();
    }

    /** Events received from other nodes (once each, whatever the number of matching patterns). */
    long received() {
        return received.sum();
    }

    /** Messages of this node's own, skipped. */
    long echoes() {
        return echoes.sum();
    }

    /** Messages (one event, or a batch of events) dropped because the inbound queue was full. */
    long dropped() {
        return dropped.sum();
    }

    /** Messages that could not be read (bad JSON, bad subject, foreign channel...), logged and skipped. */
    long malformed() {
        return malformed.sum();
    }

    /**
     * Events no subscription's pattern matches exactly: a glob over-matched, or a node channel carried another
     * subject (ADR 0075: a node hears every node-channel event of the swarm).
     */
    long unmatched() {
        return unmatched.sum();
    }

    /** Patterns Redis confirmed again after a lost pub/sub connection (events meanwhile were not received). */
    long missed() {
        return missed.sum();
    }

    long resubscribed() {
        return resubscribed.sum();
    }

    /** Messages waiting in the inbound queue now. */
    int depth() {
        return inbound.size();
    }

    /**
     * Stops receiving: no message is queued or dispatched after this returns, except the one the
     * dispatcher may be handing over now (see {@link #awaitStopped}). Closes the pub/sub connection, not
     * the link. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        connection.close();
        inbound.clear();
    }

    /**
     * Waits up to {@code timeout} for the dispatcher thread to end; call after {@link #close()} and after
     * the local bus closed, so that a dispatch blocked in a full mailbox has been released. A dispatcher
     * still running then is in a DIRECT handler that does not return: it is interrupted (its loop ignores
     * the interrupt and ends on the closed flag once the handler returns) and logged.
     */
    void awaitStopped(Duration timeout) {
        if (Thread.currentThread() == dispatcher) {
            return; // a handler on the dispatcher closed the bus: the loop ends when it returns
        }
        try {
            if (!dispatcher.join(timeout)) {
                dispatcher.interrupt();
                LOG.log(
                        Level.WARNING,
                        "event bus node " + node + ": the receiver thread was still in a DIRECT handler " + timeout
                                + " into closing; interrupted it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
