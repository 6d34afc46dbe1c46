package dev.colony.bus;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Part of {@link EventBusContract}: once {@code close()} returns, the handler is never called again. */
public interface EventBusCloseContract extends EventBusFixture {

    private static SubscribeOptions options(DeliveryMode mode) {
        return mode == DeliveryMode.DIRECT ? SubscribeOptions.direct() : SubscribeOptions.async();
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    default void close_thenPublish_handlerIsNotCalledAndTheEventIsDead(DeliveryMode mode) {
        EventBus bus = bus();
        List<Object> received = new CopyOnWriteArrayList<>();
        Subscription subscription =
                bus.subscribe(SubjectPattern.of("c.*"), e -> received.add(e.payload()), options(mode));
        bus.publish("c.x", 1);
        eventually().until(() -> received.size() == 1);

        subscription.close();

        assertThat(subscription.isOpen()).isFalse();
        assertThat(bus.publish("c.x", 2).isDead()).isTrue();
        assertThat(received).containsExactly(1);
        assertThat(bus.metrics().subscriptions()).isZero();
        assertThat(bus.metrics().delivered()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    default void close_calledAgainAndFromSeveralThreads_isIdempotent(DeliveryMode mode) throws Exception {
        EventBus bus = bus();
        AtomicInteger calls = new AtomicInteger();
        Subscription subscription = bus.subscribe(SubjectPattern.of("i"), e -> calls.incrementAndGet(), options(mode));
        for (int i = 0; i < 3; i++) {
            bus.publish("i", i);
        }
        eventually().until(() -> subscription.stats().delivered() == 3);
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            closers.add(Thread.ofVirtual().start(subscription::close));
        }
        subscription.close();
        for (Thread closer : closers) {
            join(closer);
        }
        subscription.close();

        assertThat(subscription.isOpen()).isFalse();
        assertThat(subscription.stats()).isEqualTo(new SubscriptionStats(3, 0, 0, 0, 0, 0));
        assertThat(calls).hasValue(3);
        assertThat(bus.metrics().delivered()).isEqualTo(3);
    }

    @Test
    default void close_fromInsideItsOwnDirectHandler_laterPublishesAreDeadAndTheDeliveryIsCounted() {
        EventBus bus = bus();
        AtomicReference<Subscription> self = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        self.set(bus.subscribe("self.close", e -> {
            calls.incrementAndGet();
            self.get().close();
            assertThat(self.get().isOpen()).isFalse();
        }));

        assertThat(bus.publish("self.close", 1)).isEqualTo(new PublishResult(1, 1, 0, 0, 0));
        assertThat(bus.publish("self.close", 2).isDead()).isTrue();

        assertThat(calls).hasValue(1);
        eventually().untilAsserted(() -> {
            assertThat(self.get().stats().delivered()).isEqualTo(1);
            assertThat(bus.metrics().delivered()).isEqualTo(1);
        });
    }

    @Test
    default void close_fromInsideItsOwnAsyncHandler_stopsAtOnceAndDiscardsWhatIsQueued() throws Exception {
        EventBus bus = bus();
        AtomicReference<Subscription> self = new AtomicReference<>();
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Object> received = new CopyOnWriteArrayList<>();
        self.set(bus.subscribe(
                SubjectPattern.of("self.async"),
                e -> {
                    received.add(e.payload());
                    if (e.payload().equals(0)) {
                        parked.countDown();
                        awaitLatch(release);
                    } else if (e.payload().equals(1)) {
                        self.get().close();
                    }
                },
                SubscribeOptions.async().withCapacity(16)));
        try {
            bus.publish("self.async", 0);
            awaitLatch(parked);
            // queued together behind the parked handler, so they are handed over as one batch
            for (int i = 1; i <= 4; i++) {
                assertThat(bus.publish("self.async", i).accepted()).isEqualTo(1);
            }
        } finally {
            release.countDown();
        }

        eventually().untilAsserted(() -> {
            assertThat(self.get().isOpen()).isFalse();
            assertThat(self.get().stats()).isEqualTo(new SubscriptionStats(2, 0, 0, 0, 3, 0));
            assertThat(bus.metrics().delivered()).isEqualTo(2);
            assertThat(bus.metrics().discarded()).isEqualTo(3);
        });
        assertThat(received).containsExactly(0, 1);
    }

    @Test
    default void close_ofALowerPrioritySubscriberFromADirectHandler_skipsItAndCountsARejection() {
        EventBus bus = bus();
        List<Object> received = new ArrayList<>();
        Subscription low = bus.subscribe(
                SubjectPattern.of("two"),
                e -> received.add(e.payload()),
                SubscribeOptions.direct().withPriority(1));
        bus.subscribe(
                SubjectPattern.of("two"),
                e -> low.close(),
                SubscribeOptions.direct().withPriority(9));

        PublishResult result = bus.publish("two", "x");

        assertThat(result).isEqualTo(new PublishResult(2, 1, 0, 1, 0));
        assertThat(received).isEmpty();
        assertThat(bus.metrics().rejected()).isEqualTo(1);
        assertThat(bus.publish("two", "y")).isEqualTo(new PublishResult(1, 1, 0, 0, 0));
    }

    @Test
    default void close_asyncWithQueuedEvents_waitsForTheRunningHandlerAndCountsTheRestAsDiscarded() throws Exception {
        EventBus bus = bus();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Object> received = new CopyOnWriteArrayList<>();
        Subscription subscription = bus.subscribe(
                SubjectPattern.of("q"),
                e -> {
                    received.add(e.payload());
                    started.countDown();
                    awaitLatch(release);
                },
                SubscribeOptions.async().withCapacity(8));
        Thread closer;
        try {
            bus.publish("q", 0);
            awaitLatch(started);
            for (int i = 1; i <= 3; i++) {
                bus.publish("q", i);
            }
            closer = Thread.ofVirtual().start(subscription::close);
            eventually().until(() -> !subscription.isOpen());
            assertThat(closer.isAlive())
                    .as("close waits for the running handler")
                    .isTrue();
        } finally {
            release.countDown();
        }
        join(closer);

        assertThat(received).containsExactly(0);
        assertThat(subscription.stats()).isEqualTo(new SubscriptionStats(1, 0, 0, 0, 3, 0));
        assertThat(bus.metrics().discarded()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    default void close_whilePublishersRun_handlerNeverRunsAfterCloseReturns(DeliveryMode mode) throws Exception {
        EventBus bus = bus();
        for (int round = 0; round < 15; round++) {
            AtomicBoolean closeReturned = new AtomicBoolean();
            AtomicInteger late = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            SubscribeOptions options = options(mode).withCapacity(4); // small: ASYNC publishers block too
            Subscription subscription = bus.subscribe(
                    SubjectPattern.of("race.*"),
                    e -> {
                        calls.incrementAndGet();
                        Thread.yield(); // widen the window in which close() meets a running handler
                        if (closeReturned.get()) {
                            late.incrementAndGet();
                        }
                    },
                    options);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong published = new AtomicLong();
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                Thread.Builder builder = p == 0 ? Thread.ofVirtual() : Thread.ofPlatform();
                String subject = "race." + p;
                publishers.add(builder.start(() -> {
                    for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
                        bus.publish(subject, i);
                        published.incrementAndGet();
                    }
                }));
            }
            eventually().until(() -> calls.get() >= 20);

            subscription.close();
            closeReturned.set(true);

            long after = published.get();
            eventually().until(() -> published.get() >= after + 200);
            stop.set(true);
            for (Thread publisher : publishers) {
                join(publisher);
            }
            assertThat(late)
                    .as("handler calls after close() returned, round %d", round)
                    .hasValue(0);
        }
    }

    @Test
    default void busClose_calledConcurrently_everyCallerWaitsForTheRunningHandler() throws Exception {
        EventBus bus = bus();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean handlerDone = new AtomicBoolean();
        bus.subscribe(
                SubjectPattern.of("slow"),
                e -> {
                    started.countDown();
                    awaitLatch(release);
                    handlerDone.set(true);
                },
                SubscribeOptions.async());
        List<Thread> closers = new ArrayList<>();
        AtomicInteger returnedEarly = new AtomicInteger();
        try {
            bus.publish("slow", "x");
            awaitLatch(started);
            for (int i = 0; i < 2; i++) {
                closers.add(Thread.ofPlatform().start(() -> {
                    bus.close();
                    if (!handlerDone.get()) {
                        returnedEarly.incrementAndGet();
                    }
                }));
            }
            eventually()
                    .until(() -> closers.stream()
                            .allMatch(t -> t.getState() == Thread.State.WAITING
                                    || t.getState()
                                            == Thread.State.TIMED_WAITING // waits are bounded by the close timeout
                                    || t.getState() == Thread.State.TERMINATED));
        } finally {
            release.countDown();
        }
        for (Thread closer : closers) {
            join(closer);
        }
        assertThat(returnedEarly)
                .as("close() calls that returned while the handler ran")
                .hasValue(0);
    }

    @Test
    default void busClose_withOpenSubscriptions_closesThemAllAndStopsTheAsyncThreads() {
        EventBus bus = bus();
        Set<Thread> asyncThreads = ConcurrentHashMap.newKeySet();
        List<Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            subscriptions.add(bus.subscribe(
                    SubjectPattern.of("all." + i),
                    e -> asyncThreads.add(Thread.currentThread()),
                    SubscribeOptions.async().withName("all-" + i)));
            subscriptions.add(bus.subscribe("all.>", e -> {}));
        }
        for (int i = 0; i < 4; i++) {
            bus.publish("all." + i, i);
        }
        eventually().until(() -> asyncThreads.size() == 4);

        bus.close();

        assertThat(subscriptions).noneMatch(Subscription::isOpen);
        assertThat(asyncThreads).noneMatch(Thread::isAlive);
        assertThat(bus.metrics().subscriptions()).isZero();
        bus.close(); // idempotent
        assertThatThrownBy(() -> bus.publish("all.0", "x")).isInstanceOf(IllegalStateException.class);
        assertThat(bus.metrics().delivered()).isEqualTo(4 + 4 * 4); // one each ASYNC, four each "all.>"
    }
}
