package dev.colony.bus;

import dev.colony.internal.Mailbox;
import dev.colony.metrics.LatencySnapshot;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The embedded event bus: routes through a {@link RouteTable}, delivers DIRECT on the publisher's thread
 * and ASYNC through {@link Mailbox}es, and tracks publishes in flight with a {@link PublishGate}.
 */
final class LocalEventBus implements EventBus {
    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

    private final RouteTable routes;
    private final PublishGate gate = new PublishGate();
    private final Consumer<HandlerFailure> failureHandler;
    private final Consumer<Event> deadEventHandler;
    private final int latencySampling;
    private final long closeTimeoutNanos;
    private final ThreadFactory drainerThreads;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    private final LongAdder dead = new LongAdder();
    // events refused because their subscription was closing: counted here, not by the subscription,
    // because a publisher holding an old route may skip a subscription long after it was retired
    private final LongAdder closedRejections = new LongAdder();
    private final LongAdder batchEvents = new LongAdder();
    private final LongAdder batchLookups = new LongAdder();
    private final LongAdder abandoned = new LongAdder();

    // Guarded by `retired`: the totals of retired subscriptions, the subscriptions not retired yet, and
    // the latency histogram. A subscription moves from `live` to the totals in one step, so metrics()
    // counts it exactly once, before and after its close. `live` is unordered: a retired subscription's
    // slot takes the last one (each knows its slot, LocalSubscription.liveIndex), so both steps are O(1).
    private final long[] retired = new long[5];
    private final ArrayList<LocalSubscription> live = new ArrayList<>();
    private final Histogram latency = new Histogram(3);

    LocalEventBus(EventBus.Builder builder) {
        this.routes = new RouteTable(builder.routeCacheCapacity);
        this.failureHandler = builder.failureHandler;
        this.deadEventHandler = builder.deadEventHandler;
        this.latencySampling = builder.latencySampling;
        this.closeTimeoutNanos = builder.closeTimeout.toNanos();
        this.drainerThreads = builder.drainerThreads != null
                ? builder.drainerThreads
                : Thread.ofVirtual().factory();
    }

    @Override
    public PublishResult publish(String subject, Object payload) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payload, "payload");
        checkOpen();
        Route route = routes.route(subject);
        return dispatch(route, new Event(route.subject, payload, Event.NORMAL_PRIORITY));
    }

    @Override
    public PublishResult publish(Event event) {
        Objects.requireNonNull(event, "event");
        checkOpen();
        return dispatch(routes.route(event.subject()), event);
    }

    private PublishResult dispatch(Route route, Event event) {
        PublishGate.Holder holder = gate.holder();
        int token = gate.enter(holder, 1);
        try {
            LocalSubscription[] subscriptions = route.subscriptions;
            if (subscriptions.length == 0) {
                deadEvent(event);
                return PublishResult.DEAD;
            }
            long now = route.hasAsync && sampled(holder) ? System.nanoTime() : 0L;
            int accepted = 0;
            int dropped = 0;
            int rejected = 0;
            int failed = 0;
            for (LocalSubscription subscription : subscriptions) {
                if (subscription.isClosed()) {
                    rejected++;
                    closedRejections.increment();
                } else if (subscription.direct) {
                    if (subscription.deliverDirect(event)) {
                        accepted++;
                    } else {
                        failed++;
                    }
                } else {
                    Mailbox.Offer offer = subscription.offer(event, now);
                    if (offer == Mailbox.Offer.FULL) {
                        // wait outside the gate, so a closer never waits for a publisher that waits for it
                        gate.exit(holder, token, 1);
                        try {
                            offer = subscription.offerWaiting(event, now);
                        } finally {
                            token = gate.reenter(holder);
                        }
                    }
                    switch (offer) {
                        case ACCEPTED -> accepted++;
                        case ACCEPTED_DROPPED_OTHER -> {
                            accepted++;
                            dropped++;
                        }
                        case DROPPED -> dropped++;
                        case REJECTED, FULL -> rejected++;
                        case CLOSED -> {
                            rejected++;
                            closedRejections.increment();
                        }
                    }
                }
            }
            return PublishResult.of(subscriptions.length, accepted, dropped, rejected, failed);
        } finally {
            gate.exit(holder, token, 1);
        }
    }

    /** Whether this publish's ASYNC deliveries record their latency: one in {@code latencySampling}. */
    private boolean sampled(PublishGate.Holder holder) {
        if (latencySampling == 0 || --holder.untilSample > 0) {
            return false;
        }
        holder.untilSample = latencySampling;
        return true;
    }

    @Override
    public PublishResult publishAll(List<Event> events) {
        Event.checkAll(events);
        checkOpen();
        if (events.isEmpty()) {
            return PublishResult.DEAD;
        }
        Map<Subject, Route> seen = new HashMap<>();
        Subject lastSubject = null;
        Route lastRoute = null;
        PublishResult total = null;
        for (Event event : events) {
            if (event.subject() != lastSubject) {
                lastSubject = event.subject();
                lastRoute = seen.computeIfAbsent(lastSubject, routes::route);
            }
            PublishResult result = dispatch(lastRoute, event);
            total = total == null ? result : total.plus(result);
        }
        batchEvents.add(events.size());
        batchLookups.add(seen.size());
        return total;
    }

    @Override
    public Subscription subscribe(SubjectPattern pattern, EventHandler handler, SubscribeOptions options) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        checkOpen();
        LocalSubscription subscription = new LocalSubscription(ids.incrementAndGet(), pattern, handler, options, this);
        synchronized (retired) {
            subscription.liveIndex = live.size();
            live.add(subscription);
        }
        subscription.start();
        routes.add(subscription);
        if (closed) {
            subscription.close(); // lost a race with close(): leave nothing running
            checkOpen();
        }
        return subscription;
    }

    @Override
    public int subscriberCount(Subject subject) {
        Objects.requireNonNull(subject, "subject");
        return routes.route(subject).subscriptions.length;
    }

    void unsubscribe(LocalSubscription subscription) {
        routes.remove(subscription);
    }

    /** See {@link PublishGate#awaitQuiescence}. */
    PublishGate.Quiescence awaitQuiescence(long deadline) {
        return gate.awaitQuiescence(deadline);
    }

    /** An unstarted thread named {@code name} that will run {@code drain}, from the builder's factory. */
    Thread drainerThread(String name, Runnable drain) {
        Thread thread = drainerThreads.newThread(drain);
        if (thread == null || thread.getState() != Thread.State.NEW) {
            throw new IllegalStateException("drainerThreads must return a new, unstarted thread, got " + thread);
        }
        thread.setName(name);
        return thread;
    }

    long closeTimeoutNanos() {
        return closeTimeoutNanos;
    }

    /**
     * Reports a close that gave up waiting at its deadline: interrupts the drainers of {@code stuck}
     * (those no other closer abandoned first), waits a grace of a tenth of the close timeout (at most a
     * second) for them to end, counts them, and logs one WARNING line naming them and, when the publish
     * gate timed out, the DIRECT handlers left running on their publishers' threads.
     */
    void abandon(List<LocalSubscription> stuck, PublishGate.Quiescence quiescence) {
        List<LocalSubscription> interrupted = new ArrayList<>();
        for (LocalSubscription subscription : stuck) {
            if (subscription.abandon()) {
                interrupted.add(subscription);
            }
        }
        abandoned.add(interrupted.size());
        long graceDeadline = System.nanoTime() + Math.min(closeTimeoutNanos / 10, 1_000_000_000L);
        List<LocalSubscription> ignoring = new ArrayList<>();
        for (LocalSubscription subscription : interrupted) {
            if (!subscription.joinDrainer(graceDeadline)) {
                ignoring.add(subscription);
            }
        }
        boolean directStuck = quiescence == PublishGate.Quiescence.TIMED_OUT;
        if (interrupted.isEmpty() && !directStuck) {
            return;
        }
        StringBuilder line = new StringBuilder("event bus close gave up after ")
                .append(Duration.ofNanos(closeTimeoutNanos))
                .append(" waiting for running handlers");
        if (!interrupted.isEmpty()) {
            line.append("; interrupted the ASYNC handlers of ").append(interrupted);
            if (!ignoring.isEmpty()) {
                line.append(" (still running, ignoring the interrupt: ")
                        .append(ignoring)
                        .append(')');
            }
        }
        if (directStuck) {
            line.append("; DIRECT handlers still running on their publishers' threads were left running");
        }
        LOG.log(Level.WARNING, line.toString());
    }

    /** Folds a closed subscription's final counters into the bus totals, once. */
    void retire(LocalSubscription subscription) {
        synchronized (retired) {
            int at = subscription.liveIndex;
            if (at < 0) {
                return;
            }
            LocalSubscription last = live.removeLast();
            if (last != subscription) {
                live.set(at, last);
                last.liveIndex = at;
            }
            subscription.liveIndex = -1;
            SubscriptionStats stats = subscription.stats();
            retired[0] += stats.delivered();
            retired[1] += stats.failed();
            retired[2] += stats.dropped();
            retired[3] += stats.rejected();
            retired[4] += stats.discarded();
            subscription.drainLatency(latency);
        }
    }

    void reportFailure(LocalSubscription subscription, Event event, Throwable error) {
        HandlerFailure failure = new HandlerFailure(subscription, event, error);
        try {
            if (failureHandler != null) {
                failureHandler.accept(failure);
            } else {
                LOG.log(Level.WARNING, "handler of " + subscription + " failed on " + event.subject(), error);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "the failure handler threw", e);
        }
    }

    private void deadEvent(Event event) {
        dead.increment();
        if (deadEventHandler != null) {
            try {
                deadEventHandler.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "the dead-event handler threw", e);
            }
        }
    }

    @Override
    public BusMetrics metrics() {
        long delivered;
        long failed;
        long dropped;
        long rejected;
        long discarded;
        long depth = 0;
        LatencySnapshot asyncLatency;
        synchronized (retired) {
            delivered = retired[0];
            failed = retired[1];
            dropped = retired[2];
            rejected = retired[3];
            discarded = retired[4];
            for (LocalSubscription subscription : live) {
                SubscriptionStats stats = subscription.stats();
                delivered += stats.delivered();
                failed += stats.failed();
                dropped += stats.dropped();
                rejected += stats.rejected();
                discarded += stats.discarded();
                depth += stats.queueDepth();
                subscription.drainLatency(latency);
            }
            asyncLatency = snapshotOf(latency);
        }
        long published = gate.entered();
        long lookups = published - batchEvents.sum() + batchLookups.sum();
        long misses = routes.misses();
        return new BusMetrics(
                published,
                delivered,
                failed,
                dropped,
                rejected + closedRejections.sum(),
                discarded,
                abandoned.sum(),
                dead.sum(),
                routes.subscriptionCount(),
                depth,
                Math.max(0, lookups - misses),
                misses,
                routes.cacheSize(),
                asyncLatency);
    }

    /**
     * Closes every subscription not retired yet. Every caller does so, not only the first: closing a
     * subscription is idempotent and waits for its handler, so no caller returns while one still runs,
     * up to the close timeout, shared by all of them; then the ASYNC handlers still running are
     * abandoned together (one log line).
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + closeTimeoutNanos;
        closed = true;
        List<LocalSubscription> unretired;
        synchronized (retired) {
            unretired = List.copyOf(live);
        }
        // Close them together: one route-table clear and one wait on the publish gate for all, instead of
        // one each (which made closing 100,000 subscriptions take seconds).
        routes.clear();
        boolean[] first = new boolean[unretired.size()];
        for (int i = 0; i < first.length; i++) {
            first[i] = unretired.get(i).markClosed(false);
        }
        PublishGate.Quiescence quiescence = gate.awaitQuiescence(deadline);
        boolean[] ended = new boolean[first.length];
        List<LocalSubscription> stuck = new ArrayList<>();
        for (int i = 0; i < first.length; i++) {
            ended[i] = unretired.get(i).joinDrainer(deadline);
            if (!ended[i] && !unretired.get(i).isDrainer(Thread.currentThread())) {
                stuck.add(unretired.get(i));
            }
        }
        if (!stuck.isEmpty() || quiescence == PublishGate.Quiescence.TIMED_OUT) {
            abandon(stuck, quiescence);
        }
        for (int i = 0; i < first.length; i++) {
            unretired.get(i).completeClose(first[i], quiescence, ended[i]);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the event bus is closed");
        }
    }

    private static LatencySnapshot snapshotOf(Histogram histogram) {
        return histogram.getTotalCount() == 0
                ? LatencySnapshot.EMPTY
                : new LatencySnapshot(
                        histogram.getTotalCount(),
                        histogram.getValueAtPercentile(50),
                        histogram.getValueAtPercentile(95),
                        histogram.getValueAtPercentile(99),
                        histogram.getValueAtPercentile(99.9),
                        histogram.getMaxValue());
    }
}
