package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link EventBus#subscribe(String, EventHandler, SubscribeOptions)}: a wildcard pattern given as text with
 * delivery options. It is a default method over the {@link SubjectPattern} variant, so every backend has it;
 * this runs it on the embedded bus.
 */
class EventBusTextPatternTest {

    @Test
    void subscribe_textPatternWithAsyncOptions_receivesExactlyTheMatchingEventsOnItsOwnThread() {
        try (EventBus bus = EventBus.create()) {
            List<Object> received = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            SubscribeOptions options = SubscribeOptions.async().withCapacity(16);
            Subscription subscription = bus.subscribe(
                    "task.>",
                    event -> {
                        received.add(event.payload());
                        threads.add(Thread.currentThread());
                    },
                    options);

            assertThat(subscription.pattern()).isEqualTo(SubjectPattern.of("task.>"));
            assertThat(subscription.options()).isEqualTo(options);
            assertThat(bus.publish("task.assign.gpu", 1).matched()).isEqualTo(1);
            assertThat(bus.publish("task.done", 2).matched()).isEqualTo(1);
            assertThat(bus.publish("agent.spawn", 3).isDead()).isTrue();
            assertThat(bus.publish("task", 4).isDead()).isTrue(); // '>' needs at least one more token

            await().atMost(Duration.ofMinutes(1)).until(() -> received.size() == 2);
            assertThat(received).containsExactly(1, 2);
            assertThat(threads).doesNotContain(Thread.currentThread());
            assertThat(subscription.stats().delivered()).isEqualTo(2);
        }
    }

    @Test
    void subscribe_textPatternWithDirectOptions_runsOnThePublishersThread() {
        try (EventBus bus = EventBus.create()) {
            List<Thread> threads = new CopyOnWriteArrayList<>();
            bus.subscribe("agent.*", event -> threads.add(Thread.currentThread()), SubscribeOptions.direct());

            bus.publish("agent.7", "spawned");

            assertThat(threads).containsExactly(Thread.currentThread());
        }
    }

    @Test
    void subscribe_malformedTextPattern_throwsQuotingItAndSubscribesNothing() {
        try (EventBus bus = EventBus.create()) {
            assertThatThrownBy(() -> bus.subscribe("task.>.x", event -> {}, SubscribeOptions.async()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("task.>.x");
            assertThatThrownBy(() -> bus.subscribe("task. x", event -> {}, SubscribeOptions.direct()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("task. x");

            assertThat(bus.metrics().subscriptions())
                    .as("nothing was subscribed")
                    .isZero();
            assertThat(bus.publish("task.x", 1).isDead()).isTrue();
        }
    }
}
