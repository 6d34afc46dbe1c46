package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The embedded bus with every ASYNC subscription drained by a platform thread of its own
 * ({@link EventBus.Builder#drainerThreads}, ADR 0065) runs the whole contract unchanged, plus checks of
 * the setting itself.
 */
class PlatformDrainerEventBusTest extends EventBusContract {
    private static final ThreadFactory PLATFORM = Thread.ofPlatform().daemon().factory();

    @Override
    protected EventBus newBus(EventBus.Builder builder) {
        // a test's own factory wins; every other bus drains on platform threads
        return (builder.settings().drainerThreads().isPresent() ? builder : builder.drainerThreads(PLATFORM)).build();
    }

    @Override
    public boolean virtualDrainers() {
        return false;
    }

    @Test
    void subscribe_platformDrainerThreads_handlerRunsOnANamedPlatformThreadThatCloseEnds() {
        EventBus bus = bus();
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        Subscription subscription = bus.subscribe(
                SubjectPattern.of("p.*"),
                event -> handlerThread.compareAndSet(null, Thread.currentThread()),
                SubscribeOptions.async().withName("hot"));
        for (int i = 0; i < 1_000; i++) {
            assertThat(bus.publish("p.x", i).accepted()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> subscription.stats().delivered() == 1_000);
        Thread drainer = handlerThread.get();
        assertThat(drainer.isVirtual()).isFalse();
        assertThat(drainer.getName()).startsWith("colony-bus-hot-");

        subscription.close();

        assertThat(drainer.isAlive()).isFalse();
        assertThat(subscription.stats().delivered()).isEqualTo(1_000);
    }

    @Test
    void subscribe_defaultBuilder_handlerRunsOnAVirtualThread() {
        try (EventBus bus = EventBus.create()) {
            AtomicReference<Thread> handlerThread = new AtomicReference<>();
            bus.subscribe(
                    SubjectPattern.of("v.*"),
                    event -> handlerThread.set(Thread.currentThread()),
                    SubscribeOptions.async());
            bus.publish("v.x", "x");
            await().atMost(Duration.ofSeconds(30)).until(() -> handlerThread.get() != null);
            assertThat(handlerThread.get().isVirtual()).isTrue();
        }
    }

    @Test
    void subscribe_factoryReturnsNoThreadOrAStartedOne_failsAtSubscribeAndLeavesTheBusUsable() {
        EventBus bus = bus(EventBus.builder().drainerThreads(runnable -> null));
        assertThatThrownBy(() -> bus.subscribe(SubjectPattern.of("a.*"), event -> {}, SubscribeOptions.async()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("drainerThreads");
        assertThat(bus.subscriberCount(Subject.of("a.b"))).isZero();
        assertThat(bus.subscribe(SubjectPattern.of("a.*"), event -> {}, SubscribeOptions.direct())
                        .isOpen())
                .isTrue();

        Thread started = Thread.ofVirtual().start(() -> {});
        EventBus reusing = bus(EventBus.builder().drainerThreads(runnable -> started));
        assertThatThrownBy(() -> reusing.subscribe(SubjectPattern.of("a.*"), event -> {}, SubscribeOptions.async()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unstarted");
    }

    @Test
    void drainerThreads_nullOrSet_failsFastOrAppearsInTheSettings() {
        assertThatThrownBy(() -> EventBus.builder().drainerThreads(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("drainerThreads");
        assertThat(EventBus.builder().settings().drainerThreads()).isEmpty();
        assertThat(EventBus.builder().drainerThreads(PLATFORM).settings().drainerThreads())
                .containsSame(PLATFORM);
    }
}
