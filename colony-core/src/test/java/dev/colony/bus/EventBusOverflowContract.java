package dev.colony.bus;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Part of {@link EventBusContract}: each overflow policy of a full ASYNC mailbox. Every test parks the
 * handler on its first event, so the mailbox (capacity 2) fills deterministically.
 */
public interface EventBusOverflowContract extends EventBusFixture {
    Subject OVERFLOW_SUBJECT = Subject.of("ovf.x");

    /** An ASYNC subscription whose handler is parked on the event "first" until {@link #release()}. */
    record Parked(EventBus bus, Subscription subscription, List<Object> received, CountDownLatch latch) {
        void release() {
            latch.countDown();
        }

        PublishResult publish(Object payload) {
            return bus.publish(OVERFLOW_SUBJECT, payload);
        }

        PublishResult publish(Object payload, int priority) {
            return bus.publish(OVERFLOW_SUBJECT, payload, priority);
        }

        /** Publishes on a platform thread and waits until that thread is blocked in the publish. */
        CompletableFuture<PublishResult> publishBlocked(Object payload, int priority) {
            CompletableFuture<PublishResult> result = new CompletableFuture<>();
            Thread publisher = Thread.ofPlatform().start(() -> result.complete(publish(payload, priority)));
            eventually().until(() -> publisher.getState() == Thread.State.WAITING);
            assertThat(result).as("a publish into a full BLOCK mailbox waits").isNotDone();
            return result;
        }
    }

    private Parked parked(OverflowPolicy policy) throws InterruptedException {
        EventBus bus = bus(EventBus.builder().onHandlerFailure(f -> {}));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Object> received = new CopyOnWriteArrayList<>();
        Subscription subscription = bus.subscribe(
                SubjectPattern.of("ovf.*"),
                e -> {
                    received.add(e.payload());
                    if (e.payload().equals("first")) {
                        started.countDown();
                        awaitLatch(release);
                    }
                },
                SubscribeOptions.async().withCapacity(2).withOverflow(policy));
        bus.publish(OVERFLOW_SUBJECT, "first");
        awaitLatch(started);
        return new Parked(bus, subscription, received, release);
    }

    private static void awaitDelivered(Parked parked, Object... expected) {
        eventually().until(() -> parked.received().size() >= expected.length);
        assertThat(parked.received()).containsExactly(expected);
    }

    @Test
    default void publish_fullBlockMailbox_publisherWaitsThenEverythingIsDelivered() throws Exception {
        Parked parked = parked(OverflowPolicy.BLOCK);
        CompletableFuture<PublishResult> third;
        try {
            assertThat(parked.publish("e1")).isEqualTo(new PublishResult(1, 1, 0, 0, 0));
            assertThat(parked.publish("e2")).isEqualTo(new PublishResult(1, 1, 0, 0, 0));
            assertThat(parked.subscription().stats().queueDepth()).isEqualTo(2);
            third = parked.publishBlocked("e3", Event.NORMAL_PRIORITY);
            assertThat(parked.subscription().stats()).isEqualTo(new SubscriptionStats(0, 0, 0, 0, 0, 2));
        } finally {
            parked.release();
        }
        assertThat(third.get(BusTesting.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(new PublishResult(1, 1, 0, 0, 0));
        awaitDelivered(parked, "first", "e1", "e2", "e3");
        eventually().until(() -> parked.bus().metrics().delivered() == 4);
        BusMetrics metrics = parked.bus().metrics();
        assertThat(metrics.published()).isEqualTo(4);
        assertThat(metrics.dropped() + metrics.rejected()).isZero();
    }

    @Test
    default void publish_handlerIntoItsOwnFullBlockMailbox_isRejectedInsteadOfDeadlocking() {
        EventBus bus = bus();
        AtomicReference<PublishResult> overflow = new AtomicReference<>();
        List<Object> received = new CopyOnWriteArrayList<>();
        Subscription subscription = bus.subscribe(
                SubjectPattern.of("self.x"),
                e -> {
                    received.add(e.payload());
                    if (e.payload().equals("first")) {
                        bus.publish("self.x", "fill"); // takes the only slot
                        overflow.set(bus.publish("self.x", "overflow"));
                    }
                },
                SubscribeOptions.async().withCapacity(1).withOverflow(OverflowPolicy.BLOCK));

        bus.publish("self.x", "first");

        eventually().until(() -> received.size() == 2 && overflow.get() != null);
        assertThat(overflow.get()).isEqualTo(new PublishResult(1, 0, 0, 1, 0));
        assertThat(received).containsExactly("first", "fill");
        eventually().until(() -> subscription.stats().delivered() == 2);
        assertThat(subscription.stats()).isEqualTo(new SubscriptionStats(2, 0, 0, 1, 0, 0));
        assertThat(bus.metrics().rejected()).isEqualTo(1);
    }

    @Test
    default void publish_fullDropOldestMailbox_dropsTheOldestQueuedEventAndAcceptsTheNewOne() throws Exception {
        Parked parked = parked(OverflowPolicy.DROP_OLDEST);
        try {
            parked.publish("e1");
            parked.publish("e2");
            assertThat(parked.publish("e3")).isEqualTo(new PublishResult(1, 1, 1, 0, 0));
            assertThat(parked.subscription().stats()).isEqualTo(new SubscriptionStats(0, 0, 1, 0, 0, 2));
        } finally {
            parked.release();
        }
        awaitDelivered(parked, "first", "e2", "e3");
        assertThat(parked.bus().metrics().dropped()).isEqualTo(1);
    }

    @Test
    default void publish_fullDropNewestMailbox_dropsTheArrivingEvent() throws Exception {
        Parked parked = parked(OverflowPolicy.DROP_NEWEST);
        try {
            parked.publish("e1");
            parked.publish("e2");
            PublishResult result = parked.publish("e3");
            assertThat(result).isEqualTo(new PublishResult(1, 0, 1, 0, 0));
            assertThat(result.isClean()).isFalse();
            assertThat(parked.subscription().stats()).isEqualTo(new SubscriptionStats(0, 0, 1, 0, 0, 2));
        } finally {
            parked.release();
        }
        awaitDelivered(parked, "first", "e1", "e2");
        assertThat(parked.bus().metrics().dropped()).isEqualTo(1);
    }

    @Test
    default void publish_fullFailMailbox_rejectsTheArrivingEventAndOtherSubscribersStillGetIt() throws Exception {
        Parked parked = parked(OverflowPolicy.FAIL);
        List<Object> direct = new CopyOnWriteArrayList<>();
        parked.bus().subscribe("ovf.x", e -> direct.add(e.payload()));
        try {
            parked.publish("e1");
            parked.publish("e2");
            assertThat(parked.publish("e3")).isEqualTo(new PublishResult(2, 1, 0, 1, 0));
            assertThat(parked.subscription().stats()).isEqualTo(new SubscriptionStats(0, 0, 0, 1, 0, 2));
        } finally {
            parked.release();
        }
        awaitDelivered(parked, "first", "e1", "e2");
        assertThat(direct).containsExactly("e1", "e2", "e3");
        assertThat(parked.bus().metrics().rejected()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(
            value = OverflowPolicy.class,
            names = {"DROP_OLDEST", "DROP_NEWEST"})
    default void publish_criticalEventsIntoAFullDropMailbox_areNeverDropped(OverflowPolicy policy) throws Exception {
        Parked parked = parked(policy);
        CompletableFuture<PublishResult> waiting;
        try {
            parked.publish("e1");
            parked.publish("e2");
            assertThat(parked.publish("c8", 8)).isEqualTo(new PublishResult(1, 1, 1, 0, 0));
            assertThat(parked.publish("c9", 9)).isEqualTo(new PublishResult(1, 1, 1, 0, 0));
            // only critical events are queued: a normal one is dropped, a critical one waits for room
            assertThat(parked.publish("e3")).isEqualTo(new PublishResult(1, 0, 1, 0, 0));
            waiting = parked.publishBlocked("c8-late", 8);
            assertThat(parked.subscription().stats()).isEqualTo(new SubscriptionStats(0, 0, 3, 0, 0, 2));
        } finally {
            parked.release();
        }
        assertThat(waiting.get(BusTesting.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(new PublishResult(1, 1, 0, 0, 0));
        awaitDelivered(parked, "first", "c9", "c8", "c8-late");
        assertThat(parked.bus().metrics().dropped()).isEqualTo(3);
    }
}
