package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.bus.EventBus;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotSwapTest {
    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 5_000;
    private static final int SWAPS = 20;

    @Test
    void deploy_whilePublishersRun_nothingLostNothingDuplicated() throws Exception {
        try (EventBus bus = EventBus.create();
                PluginHost host = PluginHost.create()) {
            // a generous deadline: this test is about the swap, not about timeouts on a loaded machine
            DeployOptions options = DeployOptions.defaults()
                    .withLimits(PluginLimits.filter().withPoolSize(2).withDeadline(Duration.ofSeconds(5)));
            host.deploy("swap", Wat.wasm("needle"), null, options);
            SubscriptionFilter filter = host.filter("swap", FailurePolicy.FAIL_CLOSED);
            int total = PUBLISHERS * PER_PUBLISHER;
            AtomicIntegerArray seen = new AtomicIntegerArray(total);
            AtomicLong handled = new AtomicLong();
            List<Subscription> subscriptions = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int subscriber = s;
                subscriptions.add(filter.subscribe(
                        bus,
                        SubjectPattern.of("load.>"),
                        e -> {
                            int id = ByteBuffer.wrap((byte[]) e.payload()).getInt();
                            if (subscriber == 0) {
                                seen.incrementAndGet(id);
                            }
                            handled.incrementAndGet();
                        },
                        SubscribeOptions.async().withCapacity(256)));
            }

            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int first = p * PER_PUBLISHER;
                publishers.add(Thread.ofVirtual().start(() -> {
                    for (int i = first; i < first + PER_PUBLISHER; i++) {
                        bus.publish(
                                "load.p" + (i % 7),
                                ByteBuffer.allocate(4).putInt(i).array());
                    }
                }));
            }
            int swaps = 0;
            while (swaps < SWAPS || publishers.stream().anyMatch(Thread::isAlive)) {
                host.deploy("swap", Wat.wasm(swaps % 2 == 0 ? "accept_all" : "needle"), null, options);
                swaps++;
            }
            for (Thread publisher : publishers) {
                publisher.join();
            }
            System.out.println("[hot swap] " + swaps + " deploys while " + total + " events were published");

            await().atMost(Duration.ofSeconds(60)).until(() -> handled.get() == 2L * total);
            for (int i = 0; i < total; i++) {
                assertThat(seen.get(i)).as("event %d", i).isEqualTo(1);
            }
            assertThat(handled.get()).isEqualTo(2L * total);
            assertThat(filter.skipped()).isZero();
            assertThat(filter.passed()).isEqualTo(2L * total);
            subscriptions.forEach(sub -> assertThat(sub.stats().delivered()).isEqualTo(total));
            assertThat(host.stats("swap").orElseThrow().failed()).isZero();
        }
    }

    @Test
    void deploy_duringASlowCall_theCallFinishesOnTheOldVersion_newCallsRunOnTheNew() throws Exception {
        try (PluginHost host = PluginHost.create()) {
            DeployOptions options = DeployOptions.defaults()
                    .withLimits(PluginLimits.filter().withPoolSize(1).withDeadline(Duration.ofSeconds(60)));
            host.deploy("swap", Wat.wasm("slow"), null, options);
            SubscriptionFilter filter = host.filter("swap", FailurePolicy.FAIL_CLOSED);
            filter.test(new dev.colony.bus.Event(dev.colony.bus.Subject.of("a.b"), count(1))); // first call done
            boolean[] decision = new boolean[1];
            Thread slow = Thread.ofVirtual()
                    .start(() -> decision[0] = filter.test(
                            new dev.colony.bus.Event(dev.colony.bus.Subject.of("a.b"), count(Integer.MAX_VALUE))));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> host.stats("swap").orElseThrow().instancesIdle() == 0);
            String oldVersion = host.stats("swap").orElseThrow().version();

            host.deploy("swap", Wat.wasm("accept_all"), null, options);
            boolean fresh = filter.test(new dev.colony.bus.Event(dev.colony.bus.Subject.of("a.b"), count(0)));
            slow.join();

            assertThat(fresh).isTrue();
            assertThat(decision[0]).isTrue(); // the slow call finished on the old version, not cut short
            PluginStats now = host.stats("swap").orElseThrow();
            assertThat(now.version()).isNotEqualTo(oldVersion);
            assertThat(now.calls()).isEqualTo(1);
            assertThat(filter.failedClosed()).isZero();
        }
    }

    private static byte[] count(int n) {
        return ByteBuffer.allocate(4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(n)
                .array();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        }
    }
}
