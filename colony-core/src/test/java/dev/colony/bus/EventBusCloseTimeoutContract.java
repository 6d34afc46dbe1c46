package dev.colony.bus;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link EventBusContract}: a handler that never returns cannot hang {@code close()}. The close
 * timeout is short here to keep the tests quick; no test asserts how long anything took, only that close
 * returned (each call runs on its own thread, joined with a generous bound) and what it reported.
 */
public interface EventBusCloseTimeoutContract extends EventBusFixture {
    Duration SHORT = Duration.ofMillis(200);

    private EventBus shortTimeoutBus() {
        return bus(EventBus.builder().closeTimeout(SHORT));
    }

    /** Runs {@code close} on a thread of its own and fails the test if it does not return in time. */
    private static void closeReturns(Runnable close) throws InterruptedException {
        join(Thread.ofPlatform().start(close));
    }

    /** An ASYNC handler that waits for a latch nobody releases, until it is interrupted. */
    private static EventHandler blockedUntilInterrupted(
            CountDownLatch started, AtomicBoolean interrupted, AtomicReference<Thread> thread) {
        return e -> {
            thread.set(Thread.currentThread());
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException ex) {
                interrupted.set(true);
            }
        };
    }

    @Test
    default void busClose_asyncHandlerThatNeverReturns_returnsInterruptsItAndCountsItAbandoned() throws Exception {
        EventBus bus = shortTimeoutBus();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> thread = new AtomicReference<>();
        bus.subscribe(
                SubjectPattern.of("stuck"),
                blockedUntilInterrupted(started, interrupted, thread),
                SubscribeOptions.async().withName("stuck-handler"));
        bus.publish("stuck", 1);
        awaitLatch(started);

        closeReturns(bus::close);

        eventually().until(interrupted::get);
        eventually().until(() -> !thread.get().isAlive());
        BusMetrics metrics = bus.metrics();
        assertThat(metrics.abandoned()).isEqualTo(1);
        assertThat(metrics.delivered())
                .as("the abandoned call is not counted as delivered")
                .isZero();
        assertThat(metrics.failed()).isZero();
        assertThat(metrics.subscriptions()).isZero();
        closeReturns(bus::close); // idempotent: nothing more to abandon
        assertThat(bus.metrics().abandoned()).isEqualTo(1);
    }

    @Test
    default void subscriptionClose_asyncHandlerThatNeverReturns_returnsAndTheBusKeepsWorking() throws Exception {
        EventBus bus = shortTimeoutBus();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> thread = new AtomicReference<>();
        Subscription stuck = bus.subscribe(
                SubjectPattern.of("s.stuck"),
                blockedUntilInterrupted(started, interrupted, thread),
                SubscribeOptions.async());
        AtomicInteger others = new AtomicInteger();
        bus.subscribe("s.other", e -> others.incrementAndGet());
        bus.publish("s.stuck", 1);
        bus.publish("s.stuck", 2); // queued behind the stuck call: discarded by the close
        awaitLatch(started);

        closeReturns(stuck::close);

        assertThat(stuck.isOpen()).isFalse();
        eventually().until(interrupted::get);
        eventually().until(() -> !thread.get().isAlive());
        assertThat(bus.metrics().abandoned()).isEqualTo(1);
        assertThat(stuck.stats().discarded()).isEqualTo(1);
        assertThat(bus.publish("s.stuck", 3).isDead()).isTrue();
        assertThat(bus.publish("s.other", 4)).isEqualTo(new PublishResult(1, 1, 0, 0, 0));
        assertThat(others).hasValue(1);
    }

    @Test
    default void busClose_asyncHandlerIgnoringInterrupts_returnsAndTheHandlerIsNeverCalledAgain() throws Exception {
        EventBus bus = shortTimeoutBus();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Thread> thread = new AtomicReference<>();
        bus.subscribe(
                SubjectPattern.of("deaf"),
                e -> {
                    calls.incrementAndGet();
                    thread.set(Thread.currentThread());
                    started.countDown();
                    while (true) {
                        try {
                            release.await();
                            return;
                        } catch (InterruptedException ex) {
                            interrupts.incrementAndGet(); // and keep waiting: this handler ignores interrupts
                        }
                    }
                },
                SubscribeOptions.async());
        try {
            bus.publish("deaf", 1);
            bus.publish("deaf", 2);
            awaitLatch(started);

            closeReturns(bus::close);

            assertThat(bus.metrics().abandoned()).isEqualTo(1);
            eventually().until(() -> interrupts.get() == 1);
            assertThat(thread.get().isAlive())
                    .as("the handler ignores the interrupt, so its thread still runs")
                    .isTrue();
        } finally {
            release.countDown();
        }
        eventually().until(() -> !thread.get().isAlive());
        assertThat(calls).as("the queued event is discarded, not delivered").hasValue(1);
        assertThat(bus.metrics().delivered()).isZero();
    }

    @Test
    default void busClose_directHandlerThatNeverReturns_returnsWithoutCountingItAbandoned() throws Exception {
        EventBus bus = shortTimeoutBus();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        bus.subscribe("direct.stuck", e -> {
            calls.incrementAndGet();
            started.countDown();
            while (release.getCount() > 0) {
                try {
                    release.await(); // ignores interrupts, so every backend's threads behave alike here
                } catch (InterruptedException ex) {
                    // keep waiting
                }
            }
        });
        AtomicReference<PublishResult> result = new AtomicReference<>();
        Thread publisher = Thread.ofPlatform().start(() -> result.set(bus.publish("direct.stuck", 1)));
        try {
            awaitLatch(started);

            closeReturns(bus::close);

            assertThat(bus.metrics().abandoned())
                    .as("DIRECT handlers are not abandoned")
                    .isZero();
            assertThat(publisher.isAlive())
                    .as("the publisher is still in the handler")
                    .isTrue();
        } finally {
            release.countDown();
        }
        join(publisher);
        assertThat(calls).hasValue(1);
    }
}
