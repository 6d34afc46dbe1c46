package dev.colony.bus;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link EventBusContract}: a handler that throws never affects the publisher or the other
 * subscribers; its failure is counted and reported. Events that match nothing are counted and reported.
 */
public interface EventBusFailureContract extends EventBusFixture {

    @Test
    default void publish_directHandlerThrows_publisherUnaffectedOthersServedAndFailureReported() {
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        EventBus bus = bus(EventBus.builder().onHandlerFailure(failures::add));
        IOException boom = new IOException("boom");
        List<Object> received = new CopyOnWriteArrayList<>();
        Subscription failing = bus.subscribe(
                SubjectPattern.of("jobs.*"),
                e -> {
                    throw boom;
                },
                SubscribeOptions.direct().withPriority(9));
        Subscription healthy = bus.subscribe(
                SubjectPattern.of("jobs.>"),
                e -> received.add(e.payload()),
                SubscribeOptions.direct().withPriority(1));

        PublishResult first = bus.publish("jobs.1", "a");
        PublishResult second = bus.publish("jobs.2", "b");

        assertThat(first).isEqualTo(new PublishResult(2, 1, 0, 0, 1));
        assertThat(second).isEqualTo(new PublishResult(2, 1, 0, 0, 1));
        assertThat(received).containsExactly("a", "b");
        assertThat(failures).hasSize(2);
        assertThat(failures.getFirst().subscription()).isSameAs(failing);
        assertThat(failures.getFirst().event()).isEqualTo(new Event(Subject.of("jobs.1"), "a"));
        assertThat(failures.getFirst().error()).isSameAs(boom);
        assertThat(failing.stats()).isEqualTo(new SubscriptionStats(0, 2, 0, 0, 0, 0));
        assertThat(healthy.stats()).isEqualTo(new SubscriptionStats(2, 0, 0, 0, 0, 0));
        BusMetrics metrics = bus.metrics();
        assertThat(metrics.failed()).isEqualTo(2);
        assertThat(metrics.delivered()).isEqualTo(2);
    }

    @Test
    default void publish_asyncHandlerThrows_laterEventsStillDeliveredAndFailureCountedAndReported() {
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        EventBus bus = bus(EventBus.builder().onHandlerFailure(failures::add));
        List<Object> received = new CopyOnWriteArrayList<>();
        Subscription subscription = bus.subscribe(
                SubjectPattern.of("work"),
                e -> {
                    if (e.payload().equals("bad")) {
                        throw new IllegalArgumentException("bad payload");
                    }
                    received.add(e.payload());
                },
                SubscribeOptions.async());

        for (String payload : List.of("ok1", "bad", "ok2")) {
            assertThat(bus.publish("work", payload)).isEqualTo(new PublishResult(1, 1, 0, 0, 0));
        }

        eventually().until(() -> subscription.stats().delivered() == 2 && failures.size() == 1);
        assertThat(received).containsExactly("ok1", "ok2");
        assertThat(subscription.stats()).isEqualTo(new SubscriptionStats(2, 1, 0, 0, 0, 0));
        assertThat(failures.getFirst().subscription()).isSameAs(subscription);
        assertThat(failures.getFirst().event().payload()).isEqualTo("bad");
        assertThat(failures.getFirst().error()).isInstanceOf(IllegalArgumentException.class);
        assertThat(bus.metrics().failed()).isEqualTo(1);
    }

    @Test
    default void publish_handlerThrowsAnError_isIsolatedLikeAnException() {
        List<HandlerFailure> failures = new CopyOnWriteArrayList<>();
        EventBus bus = bus(EventBus.builder().onHandlerFailure(failures::add));
        bus.subscribe("err", e -> {
            throw new AssertionError("not an exception");
        });

        assertThat(bus.publish("err", "x")).isEqualTo(new PublishResult(1, 0, 0, 0, 1));
        assertThat(failures).singleElement().extracting(HandlerFailure::error).isInstanceOf(AssertionError.class);
    }

    @Test
    default void publish_failureHandlerItselfThrows_publisherAndCountsUnaffected() {
        EventBus bus = bus(EventBus.builder().onHandlerFailure(f -> {
            throw new IllegalStateException("the failure handler is broken too (expected in this test)");
        }));
        bus.subscribe("x", e -> {
            throw new IllegalStateException("expected in this test");
        });
        List<Object> received = new CopyOnWriteArrayList<>();
        bus.subscribe("x", e -> received.add(e.payload()));

        assertThat(bus.publish("x", 1)).isEqualTo(new PublishResult(2, 1, 0, 0, 1));
        assertThat(received).containsExactly(1);
        assertThat(bus.metrics().failed()).isEqualTo(1);
    }

    @Test
    default void publish_noMatchingSubscription_isCountedDeadAndGivenToTheDeadEventHandler() {
        List<Event> dead = new CopyOnWriteArrayList<>();
        List<Thread> deadThreads = new CopyOnWriteArrayList<>();
        EventBus bus = bus(EventBus.builder().onDeadEvent(e -> {
            dead.add(e);
            deadThreads.add(Thread.currentThread());
        }));
        bus.subscribe("alive.*", e -> {});

        PublishResult result = bus.publish("nobody.home", "lost");
        bus.publish("alive.yes", "found");
        bus.publish(Subject.of("alive.yes.too.deep"), "lost too", 9);

        assertThat(result).isEqualTo(PublishResult.DEAD);
        assertThat(result.isDead()).isTrue();
        assertThat(dead)
                .containsExactly(
                        new Event(Subject.of("nobody.home"), "lost"),
                        new Event(Subject.of("alive.yes.too.deep"), "lost too", 9));
        assertThat(deadThreads).containsOnly(Thread.currentThread());
        BusMetrics metrics = bus.metrics();
        assertThat(metrics.dead()).isEqualTo(2);
        assertThat(metrics.published()).isEqualTo(3);
        assertThat(metrics.delivered()).isEqualTo(1);
    }

    @Test
    default void publish_deadEventHandlerThrows_publisherUnaffected() {
        EventBus bus = bus(EventBus.builder().onDeadEvent(e -> {
            throw new IllegalStateException("the dead-event handler is broken (expected in this test)");
        }));
        assertThat(bus.publish("void", "x").isDead()).isTrue();
        assertThat(bus.metrics().dead()).isEqualTo(1);
    }
}
