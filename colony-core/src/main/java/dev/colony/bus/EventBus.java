package dev.colony.bus;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Publishes events on subjects to the subscriptions whose patterns match.
 *
 * <p><b>Delivery.</b> A publish routes the event to every open subscription whose pattern matches the
 * subject: DIRECT handlers run on the publisher's thread before {@code publish} returns, in subscription
 * priority order; ASYNC subscriptions receive it through their bounded mailboxes. Delivery is at most
 * once: a full mailbox follows its {@link OverflowPolicy}, and the {@link PublishResult} tells the
 * publisher what happened. Events that match nothing are counted as dead and given to the dead-event
 * handler. A publish that starts after {@code subscribe} returns is seen by the new subscription.
 *
 * <p><b>Ordering.</b> For each subscription, the events of one publisher arrive in the order they were
 * published (for ASYNC, within one priority; higher priorities overtake).
 *
 * <p><b>Failures.</b> A handler that throws never affects the publisher or other subscribers; the
 * failure is counted and given to the failure handler.
 *
 * <p><b>Threads.</b> All methods are thread-safe. Publishing never takes a lock, except the first publish
 * of a subject (which computes and caches its route, taking the route table's lock twice, briefly, and
 * matching the regex patterns without it) and an ASYNC mailbox hand-off. Regex patterns are matched in
 * time linear in the subject's length (see {@link SubjectPattern}), so no pattern can stall publishers
 * or subscribers.
 */
public interface EventBus extends AutoCloseable {

    /** A bus with default settings. */
    static EventBus create() {
        return builder().build();
    }

    /** A builder of a bus, for settings other than the defaults; {@link Builder#build()} makes the bus. */
    static Builder builder() {
        return new Builder();
    }

    /** Publishes a payload at {@link Event#NORMAL_PRIORITY}: {@code publish(new Event(subject, payload))}. */
    default PublishResult publish(Subject subject, Object payload) {
        return publish(new Event(subject, payload, Event.NORMAL_PRIORITY));
    }

    /** Publishes a payload at the given priority (0-9): {@code publish(new Event(subject, payload, priority))}. */
    default PublishResult publish(Subject subject, Object payload, int priority) {
        return publish(new Event(subject, payload, priority));
    }

    /**
     * Publishes a payload on a subject given as text. The text is validated the first time it is seen;
     * after that it is looked up in the route cache, so this is as fast as the {@link Subject} variant.
     *
     * @throws IllegalArgumentException if the subject is invalid
     */
    PublishResult publish(String subject, Object payload);

    /** Publishes an event with its own subject, payload and priority. */
    PublishResult publish(Event event);

    /**
     * Publishes events in order, looking up the route of each distinct subject once. The result sums the
     * results of the events.
     */
    PublishResult publishAll(List<Event> events);

    /**
     * Subscribes a DIRECT handler to a wildcard pattern such as {@code agent.*} or {@code task.>}: the same as
     * {@code subscribe(SubjectPattern.of(pattern), handler, SubscribeOptions.direct())}.
     *
     * @throws IllegalArgumentException if the pattern is malformed; the message quotes it
     */
    default Subscription subscribe(String pattern, EventHandler handler) {
        return subscribe(SubjectPattern.of(pattern), handler, SubscribeOptions.direct());
    }

    /**
     * Subscribes a handler to a wildcard pattern given as text, delivered as {@code options} say (DIRECT or
     * ASYNC, mailbox capacity, overflow policy): {@code subscribe("task.>", handler, SubscribeOptions.async())}.
     * The same as {@code subscribe(SubjectPattern.of(pattern), handler, options)}; for a regex, pass
     * {@link SubjectPattern#regex(String)} to that method.
     *
     * @throws IllegalArgumentException if the pattern is malformed; the message quotes it
     * @throws NullPointerException if an argument is null
     */
    default Subscription subscribe(String pattern, EventHandler handler, SubscribeOptions options) {
        return subscribe(SubjectPattern.of(pattern), handler, options);
    }

    /**
     * Subscribes a handler to a wildcard or regex pattern, delivered as {@code options} say. The subscription
     * sees every publish that starts after this method returns, until it is closed.
     */
    Subscription subscribe(SubjectPattern pattern, EventHandler handler, SubscribeOptions options);

    /**
     * How many open subscriptions a publish on {@code subject} would reach now: the number of distinct
     * subscriptions whose pattern matches it, the {@link PublishResult#matched()} of such a publish. A
     * wildcard or regex subscription counts once for every subject it matches ({@code orders.>} counts for
     * {@code orders.eu} and for {@code orders.us}), so counts of different subjects do not add up to the
     * number of subscriptions. On a distributed bus, the subscriptions of this node only. Looking up a
     * subject not published before computes (and caches) its route, as a publish would.
     *
     * @throws NullPointerException if {@code subject} is null
     */
    int subscriberCount(Subject subject);

    /** The bus's counters now. */
    BusMetrics metrics();

    /**
     * Closes every subscription (see {@link Subscription#close()}); later publishes throw. Idempotent.
     *
     * <p>Waits for running handlers for at most the {@linkplain Builder#closeTimeout close timeout}
     * (one deadline for all subscriptions), then interrupts the threads of the ASYNC handlers still
     * running, gives them a tenth of the timeout (at most a second) to end, and returns: each such handler
     * call is counted in {@link BusMetrics#abandoned()} and the subscriptions are named in one WARNING
     * line of the {@code System.Logger} of this interface. A handler that ignores the interrupt keeps its
     * virtual thread until it returns; then the thread ends without calling the handler again. DIRECT
     * handlers run on their publishers' threads, which the bus does not own: close waits for them up to
     * the same deadline, never interrupts them, and logs that it left them running.
     */
    @Override
    void close();

    /** Settings of an event bus; each setter validates its argument at once. */
    final class Builder {
        int routeCacheCapacity = 65_536;
        Consumer<HandlerFailure> failureHandler;
        Consumer<Event> deadEventHandler;
        int latencySampling = 64;
        Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        ThreadFactory drainerThreads;

        private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
        private static final Duration MAX_CLOSE_TIMEOUT = Duration.ofDays(1);

        Builder() {}

        /**
         * The most subjects whose routes are cached (default 65,536); the cache is cleared when full. A subject
         * under {@code colony.} (Colony's own announcements) is not cached while no subscription could match
         * it: its route is empty and costs nothing to compute.
         */
        public Builder routeCacheCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("routeCacheCapacity must be at least 1, got " + capacity);
            }
            this.routeCacheCapacity = capacity;
            return this;
        }

        /**
         * Receives every handler failure (default: logged at WARNING). Failures are counted either way.
         * Assumed not to throw; if it does, the error is logged and otherwise ignored.
         */
        public Builder onHandlerFailure(Consumer<HandlerFailure> handler) {
            this.failureHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Receives every event that matched no subscription, on the publisher's thread (default: none).
         * Dead events are counted either way.
         */
        public Builder onDeadEvent(Consumer<Event> handler) {
            this.deadEventHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Records the publish-to-handler latency of ASYNC deliveries for one publish in {@code oneIn},
         * counted per publishing thread (default 64; 1 records every publish; 0 turns it off). A sampled
         * publish costs two clock reads per ASYNC delivery, 30-50 ns each on a small virtual machine, which
         * is why every publish is not sampled by default. The samples land in
         * {@link BusMetrics#asyncLatency()}.
         */
        public Builder latencySampling(int oneIn) {
            if (oneIn < 0) {
                throw new IllegalArgumentException("latencySampling must be 0 (off) or more, got " + oneIn);
            }
            this.latencySampling = oneIn;
            return this;
        }

        /**
         * How long {@link EventBus#close()} and {@link Subscription#close()} wait for handlers that are still
         * running before they interrupt the ASYNC ones and return (default 10 s; more than zero, at most a
         * day). The default costs nothing while handlers return promptly (close returns as soon as they
         * have); with a handler that never returns, each close that meets it takes the full timeout.
         */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_CLOSE_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        "closeTimeout must be more than zero and at most " + MAX_CLOSE_TIMEOUT + ", got " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Makes the thread that drains each ASYNC subscription's mailbox and runs its handler (default: a new
         * virtual thread per subscription). The factory gets one unstarted thread per ASYNC subscription, at
         * subscribe; the bus names and starts it, joins it on close and interrupts it only to abandon a
         * handler that outlives the close timeout, so the factory must return a new, unstarted thread.
         *
         * <p>{@code Thread.ofPlatform().daemon().factory()} gives every ASYNC subscription its own platform
         * thread. On a busy two-core machine that handed events over faster one-to-one, and usually but not
         * always from two publishers (ADR 0065): a drainer waiting for the next burst yields its core to the
         * publisher, where a virtual one keeps its carrier, and wakes without the scheduler's hand-off. It
         * costs an operating-system thread, with its stack, per ASYNC subscription: worth it for a few busy
         * subscriptions; keep the default for many, or mostly idle, ones.
         */
        public Builder drainerThreads(ThreadFactory factory) {
            this.drainerThreads = Objects.requireNonNull(factory, "drainerThreads");
            return this;
        }

        /** An embedded bus with these settings. */
        public EventBus build() {
            return new LocalEventBus(this);
        }

        /**
         * The settings chosen so far, as an immutable value: what another backend (such as the Redis bus)
         * reads to honour them. Later changes to this builder do not affect the returned value.
         */
        public Settings settings() {
            return new Settings(
                    routeCacheCapacity,
                    Optional.ofNullable(failureHandler),
                    Optional.ofNullable(deadEventHandler),
                    latencySampling,
                    closeTimeout,
                    Optional.ofNullable(drainerThreads));
        }

        /**
         * The settings of a {@link Builder}, read-only.
         *
         * @param routeCacheCapacity see {@link Builder#routeCacheCapacity(int)}
         * @param failureHandler see {@link Builder#onHandlerFailure}; empty for the default (logged)
         * @param deadEventHandler see {@link Builder#onDeadEvent}; empty for none
         * @param latencySampling see {@link Builder#latencySampling(int)}
         * @param closeTimeout see {@link Builder#closeTimeout(Duration)}
         * @param drainerThreads see {@link Builder#drainerThreads(ThreadFactory)}; empty for virtual threads
         */
        public record Settings(
                int routeCacheCapacity,
                Optional<Consumer<HandlerFailure>> failureHandler,
                Optional<Consumer<Event>> deadEventHandler,
                int latencySampling,
                Duration closeTimeout,
                Optional<ThreadFactory> drainerThreads) {
            /** Checks that the handlers are present or explicitly empty and that the close timeout is present. */
            public Settings {
                Objects.requireNonNull(failureHandler, "failureHandler");
                Objects.requireNonNull(deadEventHandler, "deadEventHandler");
                Objects.requireNonNull(closeTimeout, "closeTimeout");
                Objects.requireNonNull(drainerThreads, "drainerThreads");
            }
        }
    }
}
