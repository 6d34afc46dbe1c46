package dev.colony.redis;

import dev.colony.bus.Event;
import dev.colony.bus.Subject;
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
    private static final int SUBJECT_CACHE_LIMIT = 65_536;
    /** The inbound queue's second bound, in bytes of queued messages (a batch message is up to 64 KiB). */
    static final long MAX_INBOUND_BYTES = 64L << 20;

    private record Incoming(String channel, byte[] frame) {}

    /** Where received events go: {@code matched} tells whether an open subscription's pattern matches. */
    interface Delivery {
        void deliver(String id, Event event, boolean matched);

        /** {@code missed} events of {@code publisher} on {@code subject} never reached this node. */
        void missed(String publisher, Subject subject, long missed);
    }

    private final RedisEventBusChannels channels;
    private final RedisEventBusFrame codec;
    private final String node;
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

    // dispatcher thread only
    private SubjectPattern[] cachedFor;
    private final Map<String, Boolean> interested = new HashMap<>();

    private final LongAdder received = new LongAdder();
    private final LongAdder echoes = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder resubscribed = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final RedisEventBusGaps gaps = new RedisEventBusGaps(); // dispatcher thread only
    private volatile int interestShrunk; // bumped when a glob is released; the dispatcher then forgets baselines
    private int gapsForgotAt; // dispatcher thread only
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
     * Adds interest in {@code pattern}: PSUBSCRIBEs its glob if no other subscription of this node uses
     * it. Returns the glob's PSUBSCRIBE future, which another subscription may have started (and which
     * may be done already): wait for it before relying on events from other nodes.
     */
    synchronized RedisFuture<Void> register(SubjectPattern pattern) {
        patterns.merge(pattern, 1, Integer::sum);
        interest = patterns.keySet().toArray(SubjectPattern[]::new);
        return use(channels.glob(pattern));
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
    synchronized RedisFuture<Void> listenToAll() {
        return use(channels.everything());
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
        String glob = channels.glob(pattern);
        Glob used = globs.get(glob);
        if (used.references() == 1) {
            globs.remove(glob);
            interestShrunk++; // guarded by `this`; read by the dispatcher
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
            if (confirmed.size() > 1 && !pattern.equals(first(channel))) {
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
        Subject subject;
        List<RedisEventBusFrame.Decoded> frames;
        try {
            String text = channels.subject(incoming.channel());
            if (text == null) {
                throw new RedisEventBusFrame.MalformedFrame("not an event channel of this swarm");
            }
            subject = Subject.of(text);
            frames = codec.decode(incoming.frame(), text);
        } catch (RedisEventBusFrame.MalformedFrame | IllegalArgumentException e) {
            malformed.increment();
            LOG.log(
                    Level.WARNING,
                    "event bus node " + node + " ignored a malformed message on " + incoming.channel() + ": "
                            + e.getMessage());
            return;
        }
        boolean matched = isInterested(subject);
        int shrunk = interestShrunk;
        if (shrunk != gapsForgotAt) {
            gaps.forget();
            gapsForgotAt = shrunk;
        }
        for (RedisEventBusFrame.Decoded frame : frames) {
            if (node.equals(frame.node())) {
                echoes.increment(); // an echo the first bytes did not give away (attributes in another order)
                continue;
            }
            long lost = gaps.observe(frame.node(), incoming.channel(), frame.seq());
            if (lost > 0) {
                missed.add(lost);
                dispatch.missed(frame.node(), subject, lost);
            }
            received.increment();
            if (!matched) {
                unmatched.increment();
            }
            try {
                dispatch.deliver(frame.id(), new Event(subject, frame.payload(), frame.priority()), matched);
            } catch (IllegalStateException e) {
                return; // the bus closed under us; what is left in the queue is not delivered
            }
        }
    }

    private boolean isInterested(Subject subject) {
        SubjectPattern[] now = interest;
        if (now != cachedFor || interested.size() >= SUBJECT_CACHE_LIMIT) {
            interested.clear();
            cachedFor = now;
        }
        Boolean cached = interested.get(subject.value());
        if (cached != null) {
            return cached;
        }
        boolean any = false;
        for (SubjectPattern pattern : now) {
            if (pattern.matches(subject)) {
                any = true;
                break;
            }
        }
        interested.put(subject.value(), any);
        return any;
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

    /** Events a glob let through that no subscription's pattern matches exactly. */
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
