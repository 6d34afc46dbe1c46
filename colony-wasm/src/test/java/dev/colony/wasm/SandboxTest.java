package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SandboxTest {
    private static final Subject SUBJECT = Subject.of("jobs.run");

    private final EventBus bus = EventBus.create();
    private final List<Event> alerts = new CopyOnWriteArrayList<>();
    private final PluginHost host = PluginHost.builder().bus(bus).build();

    SandboxTest() {
        bus.subscribe("colony.alert.plugin.>", alerts::add);
    }

    @AfterEach
    void close() {
        host.close();
        bus.close();
    }

    /** Limits for tests that are not about deadlines: a loaded machine must not turn a call into a timeout. */
    private static final PluginLimits ROOMY = PluginLimits.filter().withDeadline(Duration.ofSeconds(10));

    private static DeployOptions limits(PluginLimits limits) {
        return DeployOptions.defaults().withLimits(limits);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void runawayLoop_stoppedAtTheDeadline_subscriptionKeepsDelivering() {
        host.deploy(
                "runaway",
                Wat.wasm("runaway"),
                null,
                limits(PluginLimits.filter().withDeadline(Duration.ofMillis(50))));
        SubscriptionFilter filter = host.filter("runaway", FailurePolicy.FAIL_CLOSED);
        AtomicInteger handled = new AtomicInteger();
        Subscription subscription = filter.subscribe(
                bus, SubjectPattern.of("jobs.>"), e -> handled.incrementAndGet(), SubscribeOptions.async());

        bus.publish(SUBJECT, bytes("Loop forever"));
        for (int i = 0; i < 100; i++) {
            bus.publish(SUBJECT, bytes("ok " + i));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> handled.get() == 100);
        PluginStats stats = host.stats("runaway").orElseThrow();
        assertThat(stats.errors(CallError.TIMEOUT)).isEqualTo(1);
        assertThat(stats.accepted()).isEqualTo(100);
        assertThat(filter.failedClosed()).isEqualTo(1);
        assertThat(subscription.stats().failed()).isZero();
        assertThat(subscription.isOpen()).isTrue();
    }

    @Test
    void memoryGrowth_to2And4GiB_refusedInsideTheModule_heapUntouched() {
        host.deploy("grow", Wat.wasm("grow"), null, limits(ROOMY.withPoolSize(1)));
        SubscriptionFilter filter = host.filter("grow", FailurePolicy.FAIL_CLOSED);
        long heapBefore = usedHeap();

        boolean twoGiB = filter.test(new Event(SUBJECT, pages(32_768)));
        boolean fourGiB = filter.test(new Event(SUBJECT, pages(65_535)));

        assertThat(twoGiB).isFalse();
        assertThat(fourGiB).isFalse();
        PluginStats stats = host.stats("grow").orElseThrow();
        assertThat(stats.rejected()).isEqualTo(2); // memory.grow returned -1 to the module both times
        assertThat(stats.failed()).isZero();
        assertThat(stats.memoryPages()).isLessThanOrEqualTo(16);
        assertThat(usedHeap() - heapBefore).isLessThan(256L << 20); // 2 GiB would have shown
    }

    @Test
    void memoryGrowth_withinTheLimit_acceptedAndTheInstanceRecycled() {
        host.deploy("grow", Wat.wasm("grow"), null, limits(ROOMY.withPoolSize(1)));
        SubscriptionFilter filter = host.filter("grow", FailurePolicy.FAIL_CLOSED);

        assertThat(filter.test(new Event(SUBJECT, pages(4)))).isTrue();
        assertThat(filter.test(new Event(SUBJECT, pages(4)))).isTrue();

        PluginStats stats = host.stats("grow").orElseThrow();
        // the prewarmed one grew and was discarded; the second call created a fresh one, which grew too
        assertThat(stats.instancesCreated()).isEqualTo(2);
        assertThat(stats.instancesLive()).isZero(); // the next call creates a fresh instance
        assertThat(stats.memoryPages()).isZero();
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static byte[] pages(int count) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(count)
                .array();
    }

    @Test
    void recursion_traps_failClosedRejects() {
        host.deploy("recurse", Wat.wasm("recurse"), null, limits(ROOMY.withDeadline(Duration.ofSeconds(30))));
        SubscriptionFilter filter = host.filter("recurse", FailurePolicy.FAIL_CLOSED);

        assertThat(filter.test(new Event(SUBJECT, bytes("x")))).isFalse();

        PluginStats stats = host.stats("recurse").orElseThrow();
        assertThat(stats.errors(CallError.TRAP)).isEqualTo(1);
        assertThat(filter.failedClosed()).isEqualTo(1);
    }

    @Test
    void recursion_interpreted_trapsToo() {
        host.deploy(
                "recurse",
                Wat.wasm("recurse"),
                null,
                limits(ROOMY.withDeadline(Duration.ofSeconds(30))).withMode(ExecutionMode.INTERPRETED));

        assertThat(host.filter("recurse", FailurePolicy.FAIL_OPEN).test(new Event(SUBJECT, bytes("x"))))
                .isTrue();
        assertThat(host.stats("recurse").orElseThrow().errors(CallError.TRAP)).isEqualTo(1);
    }

    @Test
    void reloadPolicy_trappedInstanceReplaced_everyEventAccepted() {
        host.deploy("flaky", Wat.wasm("every_second_traps"), null, limits(ROOMY.withPoolSize(1)));
        SubscriptionFilter filter = host.filter("flaky", FailurePolicy.RELOAD);

        for (int i = 0; i < 4; i++) {
            assertThat(filter.test(new Event(SUBJECT, bytes("e" + i))))
                    .as("event %d", i)
                    .isTrue();
        }

        PluginStats stats = host.stats("flaky").orElseThrow();
        // e0: i1 ok; e1: i1 traps, i2 ok; e2: i2 traps, i3 ok; e3: i3 traps, i4 ok
        assertThat(stats.errors(CallError.TRAP)).isEqualTo(3);
        assertThat(stats.instancesCreated()).isEqualTo(4);
        assertThat(stats.accepted()).isEqualTo(4);
        assertThat(filter.failedClosed()).isZero();
    }

    @Test
    void failClosed_trappedInstanceDiscarded_nextEventRunsOnAFreshOne() {
        host.deploy("flaky", Wat.wasm("every_second_traps"), null, limits(ROOMY.withPoolSize(1)));
        SubscriptionFilter filter = host.filter("flaky", FailurePolicy.FAIL_CLOSED);

        List<Boolean> decisions = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            decisions.add(filter.test(new Event(SUBJECT, bytes("e" + i))));
        }

        assertThat(decisions).containsExactly(true, false, true, false);
        assertThat(host.stats("flaky").orElseThrow().instancesCreated()).isEqualTo(2);
    }

    @Test
    void consecutiveFailures_quarantineTheVersion_alertFires_redeployLiftsIt() {
        host.deploy("broken", Wat.wasm("always_traps"), null, limits(ROOMY.withQuarantineAfter(3)));
        SubscriptionFilter filter = host.filter("broken", FailurePolicy.FAIL_OPEN);

        for (int i = 0; i < 5; i++) {
            assertThat(filter.test(new Event(SUBJECT, bytes("e" + i)))).isTrue();
        }

        PluginStats stats = host.stats("broken").orElseThrow();
        assertThat(stats.quarantined()).isTrue();
        assertThat(stats.calls()).isEqualTo(3);
        assertThat(stats.errors(CallError.TRAP)).isEqualTo(3);
        assertThat(stats.errors(CallError.QUARANTINED)).isEqualTo(2);
        assertThat(filter.failedOpen()).isEqualTo(5);
        assertThat(host.quarantines()).isEqualTo(1);
        assertThat(alerts).singleElement().satisfies(e -> {
            assertThat(e.subject().value()).isEqualTo("colony.alert.plugin.broken");
            assertThat(((PluginAlert) e.payload()).kind()).isEqualTo(PluginAlert.Kind.QUARANTINED);
        });

        host.deploy("broken", Wat.wasm("needle"), null, limits(ROOMY));
        assertThat(filter.test(new Event(SUBJECT, bytes("e")))).isTrue();
        assertThat(host.stats("broken").orElseThrow().quarantined()).isFalse();
        assertThat(filter.failedOpen()).isEqualTo(5);
    }

    @Test
    void inputLargerThanTheInputArea_tooLarge_instanceKept() {
        host.deploy("needle", Wat.wasm("needle"), null, limits(ROOMY).withConfig("z"));
        SubscriptionFilter filter = host.filter("needle", FailurePolicy.FAIL_CLOSED);

        assertThat(filter.test(new Event(SUBJECT, new byte[70_000]))).isFalse();

        PluginStats stats = host.stats("needle").orElseThrow();
        assertThat(stats.errors(CallError.TOO_LARGE)).isEqualTo(1);
        assertThat(stats.instancesCreated()).isEqualTo(4);
    }

    @Test
    void directSubscription_refused() {
        host.deploy("needle", Wat.wasm("needle"), null);
        SubscriptionFilter filter = host.filter("needle", FailurePolicy.FAIL_CLOSED);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> filter.subscribe(bus, SubjectPattern.of("a.>"), e -> {}, SubscribeOptions.direct()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ASYNC");
    }
}
