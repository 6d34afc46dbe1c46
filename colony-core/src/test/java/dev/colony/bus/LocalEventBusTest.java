package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The embedded bus runs the whole contract, plus checks of what only it has: the route cache. */
class LocalEventBusTest extends EventBusContract {

    @Override
    protected EventBus newBus(EventBus.Builder builder) {
        return builder.build();
    }

    @Test
    void metrics_repeatedAndBatchedPublishes_countRouteCacheHitsMissesAndSize() {
        EventBus bus = bus();
        bus.subscribe("a.*", e -> {});
        for (int i = 0; i < 3; i++) {
            bus.publish("a.b", i);
        }
        bus.publish(Subject.of("c.d"), "dead");
        assertRouteCache(bus.metrics(), 2, 2, 2);

        Subject ab = Subject.of("a.b");
        Subject cd = Subject.of("c.d");
        Subject ef = Subject.of("e.f");
        bus.publishAll(
                List.of(new Event(ab, 1), new Event(cd, 2), new Event(ab, 3), new Event(ef, 4), new Event(ab, 5)));
        // one lookup per distinct subject: a.b and c.d hit, e.f misses
        assertRouteCache(bus.metrics(), 4, 3, 3);

        bus.subscribe("e.>", e -> {}); // subscribing updates cached routes; it does not look any up
        assertRouteCache(bus.metrics(), 4, 3, 3);
        assertThat(bus.publish("e.f", "x").matched()).isEqualTo(1);
        assertRouteCache(bus.metrics(), 5, 3, 3);
        assertThat(bus.metrics().published()).isEqualTo(10);
    }

    private static void assertRouteCache(BusMetrics metrics, long hits, long misses, int size) {
        assertThat(metrics.routeCacheHits()).as("hits").isEqualTo(hits);
        assertThat(metrics.routeCacheMisses()).as("misses").isEqualTo(misses);
        assertThat(metrics.routeCacheSize()).as("size").isEqualTo(size);
    }

    @Test
    void publish_moreSubjectsThanTheRouteCacheHolds_cacheStaysBoundedAndRoutesStayCorrect() {
        EventBus bus = bus(EventBus.builder().routeCacheCapacity(4));
        bus.subscribe("n.*", e -> {});
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10; i++) {
                assertThat(bus.publish("n." + i, i).matched()).isEqualTo(1);
                assertThat(bus.publish("m." + i, i).isDead()).isTrue();
                assertThat(bus.metrics().routeCacheSize()).isLessThanOrEqualTo(4);
            }
            Subscription m = bus.subscribe("m.>", e -> {});
            for (int i = 0; i < 10; i++) {
                assertThat(bus.publish("m." + i, i).matched()).isEqualTo(1);
            }
            m.close();
        }
        assertThat(bus.metrics().routeCacheMisses()).isGreaterThan(50);
    }

    @Test
    void subscribe_async_drainerThreadIsNamedAfterTheSubscription() throws Exception {
        EventBus bus = bus();
        CompletableFuture<String> name = new CompletableFuture<>();
        bus.subscribe(
                SubjectPattern.of("n"),
                e -> name.complete(Thread.currentThread().getName()),
                SubscribeOptions.async().withName("audit"));
        bus.publish("n", "x");
        assertThat(name.get(BusTesting.PATIENCE.toSeconds(), TimeUnit.SECONDS)).startsWith("colony-bus-audit-");
    }

    @Test
    void close_directHandlerOnAnotherThreadNeverReturns_returnsWithoutInterruptingThePublisher() throws Exception {
        EventBus bus = bus(EventBus.builder().closeTimeout(Duration.ofMillis(100)));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Subscription subscription = bus.subscribe("direct.stuck", e -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException ex) {
                interrupted.set(true);
            }
        });
        Thread publisher = Thread.ofPlatform().start(() -> bus.publish("direct.stuck", 1));
        try {
            BusTesting.awaitLatch(started);
            BusTesting.join(Thread.ofPlatform().start(subscription::close));
            BusTesting.join(Thread.ofPlatform().start(bus::close));
            assertThat(publisher.isAlive())
                    .as("the publisher is still in the handler")
                    .isTrue();
        } finally {
            release.countDown();
        }
        BusTesting.join(publisher);
        assertThat(interrupted)
                .as("the publisher's thread is not the bus's to interrupt")
                .isFalse();
        assertThat(bus.metrics().abandoned()).isZero();
    }
}
