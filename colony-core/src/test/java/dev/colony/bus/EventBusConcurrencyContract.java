package dev.colony.bus;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link EventBusContract}: many publishers at once, platform and virtual threads, both delivery
 * modes, with and without subscription churn. Bounded in events; every count is exact.
 */
public interface EventBusConcurrencyContract extends EventBusFixture {
    int PUBLISHERS = 4;

    /** The payload: who published it and its position in that publisher's sequence. */
    record Stamp(int publisher, int seq) {}

    /** Counts one subscription's deliveries and checks per-publisher order. */
    final class Tracker {
        final SubjectPattern pattern;
        final AtomicIntegerArray last = new AtomicIntegerArray(PUBLISHERS);
        final AtomicLong count = new AtomicLong();
        final AtomicLong disorder = new AtomicLong();

        Tracker(SubjectPattern pattern) {
            this.pattern = pattern;
            for (int i = 0; i < PUBLISHERS; i++) {
                last.set(i, -1);
            }
        }

        void handle(Event event) {
            Stamp stamp = (Stamp) event.payload();
            if (last.getAndSet(stamp.publisher(), stamp.seq()) >= stamp.seq()) {
                disorder.incrementAndGet(); // a duplicate or an overtaken event
            }
            count.incrementAndGet();
        }
    }

    /** The subject of a publisher's event {@code seq}; a quarter of them match nothing. */
    private static String subjectOf(int seq) {
        return switch (seq % 4) {
            case 0 -> "load.a.x";
            case 1 -> "load.a.y";
            case 2 -> "load.b.x";
            default -> "void.x";
        };
    }

    /** Runs {@code PUBLISHERS} publishers (half virtual) of {@code events} each; returns their summed results. */
    private static PublishResult publishConcurrently(EventBus bus, int events) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<PublishResult> total = new AtomicReference<>(new PublishResult(0, 0, 0, 0, 0));
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int publisher = p;
            Thread.Builder builder = p % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            threads.add(builder.name("publisher-" + p).start(() -> {
                PublishResult sum = new PublishResult(0, 0, 0, 0, 0);
                try {
                    BusTesting.awaitLatch(start);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int seq = 0; seq < events; seq++) {
                    sum = add(sum, bus.publish(subjectOf(seq), new Stamp(publisher, seq)));
                }
                PublishResult mine = sum;
                total.accumulateAndGet(mine, EventBusConcurrencyContract::add);
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            join(thread);
        }
        return total.get();
    }

    private static PublishResult add(PublishResult a, PublishResult b) {
        return new PublishResult(
                a.matched() + b.matched(),
                a.accepted() + b.accepted(),
                a.dropped() + b.dropped(),
                a.rejected() + b.rejected(),
                a.failed() + b.failed());
    }

    private static long expectedPerPublisher(SubjectPattern pattern, int events) {
        long n = 0;
        for (int seq = 0; seq < events; seq++) {
            n += pattern.matches(Subject.of(subjectOf(seq))) ? 1 : 0;
        }
        return n;
    }

    @Test
    default void publish_manyPublishersBothModes_eachEventDeliveredExactlyOnceInPublisherOrder() throws Exception {
        EventBus bus = bus();
        int events = 3_000;
        List<SubjectPattern> patterns = List.of(
                SubjectPattern.of("load.a.x"),
                SubjectPattern.of("load.a.*"),
                SubjectPattern.of("load.>"),
                SubjectPattern.of("*.*.x"),
                SubjectPattern.regex("load\\.[ab]\\.x"));
        List<Tracker> trackers = new ArrayList<>();
        for (SubjectPattern pattern : patterns) {
            for (DeliveryMode mode : DeliveryMode.values()) {
                Tracker tracker = new Tracker(pattern);
                SubscribeOptions options = mode == DeliveryMode.DIRECT
                        ? SubscribeOptions.direct()
                        : SubscribeOptions.async().withCapacity(32); // small: publishers wait often
                bus.subscribe(pattern, tracker::handle, options);
                trackers.add(tracker);
            }
        }

        PublishResult total = publishConcurrently(bus, events);

        long expectedTotal = 0;
        for (Tracker tracker : trackers) {
            expectedTotal += PUBLISHERS * expectedPerPublisher(tracker.pattern, events);
        }
        long expected = expectedTotal;
        eventually().until(() -> trackers.stream().mapToLong(t -> t.count.get()).sum() >= expected);
        for (Tracker tracker : trackers) {
            assertThat(tracker.count.get())
                    .as("deliveries to %s", tracker.pattern)
                    .isEqualTo(PUBLISHERS * expectedPerPublisher(tracker.pattern, events));
            assertThat(tracker.disorder.get())
                    .as("out-of-order or duplicate, %s", tracker.pattern)
                    .isZero();
        }
        assertThat(total).isEqualTo(new PublishResult((int) expected, (int) expected, 0, 0, 0));
        eventually().until(() -> bus.metrics().delivered() == expected);
        BusMetrics metrics = bus.metrics();
        assertThat(metrics.published()).isEqualTo((long) PUBLISHERS * events);
        assertThat(metrics.dead()).isEqualTo((long) PUBLISHERS * events / 4);
        assertThat(metrics.failed() + metrics.dropped() + metrics.rejected() + metrics.discarded())
                .isZero();
        assertThat(metrics.queueDepth()).isZero();
    }

    @Test
    default void publish_withSubscriptionChurn_stableSubscribersExactAndClosedOnesSilentAfterClose() throws Exception {
        long seed = TestSeeds.seed("EventBusConcurrencyContract.churn", 0xC4_0A2L);
        EventBus bus = bus();
        int events = 3_000;
        List<Tracker> stable = new ArrayList<>();
        for (SubjectPattern pattern : List.of(SubjectPattern.of("load.a.*"), SubjectPattern.of("load.>"))) {
            for (DeliveryMode mode : DeliveryMode.values()) {
                Tracker tracker = new Tracker(pattern);
                bus.subscribe(pattern, tracker::handle, new SubscribeOptions(mode, 4, 64, OverflowPolicy.BLOCK, ""));
                stable.add(tracker);
            }
        }
        AtomicBoolean publishing = new AtomicBoolean(true);
        Churn churn = new Churn(bus, new Random(seed), publishing);
        Thread churner = Thread.ofPlatform().name("churner").start(churn);
        MetricsWatch watch = new MetricsWatch(bus, publishing);
        Thread watcher = Thread.ofVirtual().name("metrics-watch").start(watch);

        PublishResult total;
        try {
            total = publishConcurrently(bus, events);
        } finally {
            publishing.set(false); // a failed publish must not leave the churner and the watcher running
            join(churner);
            join(watcher);
        }

        long stableExpected = 0;
        for (Tracker tracker : stable) {
            stableExpected += PUBLISHERS * expectedPerPublisher(tracker.pattern, events);
        }
        long expected = stableExpected;
        eventually().until(() -> stable.stream().mapToLong(t -> t.count.get()).sum() >= expected);
        for (Tracker tracker : stable) {
            assertThat(tracker.count.get())
                    .as("deliveries to stable %s", tracker.pattern)
                    .isEqualTo(PUBLISHERS * expectedPerPublisher(tracker.pattern, events));
            assertThat(tracker.disorder.get()).as("out-of-order or duplicate").isZero();
        }
        assertThat(churn.cycles).as("churn cycles").isPositive();
        assertThat(churn.lateCalls)
                .as("calls after close() returned (seed %d)", seed)
                .hasValue(0);
        assertThat(watch.errors).as("metrics that went backwards").isEmpty();
        assertThat(bus.metrics().published()).isEqualTo((long) PUBLISHERS * events);
        assertThat(bus.metrics().dead()).isEqualTo((long) PUBLISHERS * events / 4);
        eventually().untilAsserted(() -> {
            BusMetrics metrics = bus.metrics();
            assertThat(metrics.delivered()).isEqualTo(expected + churn.calls.get());
            assertThat(metrics.rejected()).isEqualTo(total.rejected());
            assertThat(metrics.delivered() + metrics.discarded() + metrics.failed())
                    .as("every accepted event was handled or discarded")
                    .isEqualTo(total.accepted());
        });
    }

    /** Subscribes and closes random subscriptions while the publishers run. */
    final class Churn implements Runnable {
        private static final String[] PATTERNS = {"load.a.x", "load.*.x", "load.>", "*.a.*", "load.b.x", "load.*.*"};
        private final EventBus bus;
        private final Random random;
        private final AtomicBoolean running;
        final AtomicLong calls = new AtomicLong();
        final AtomicLong lateCalls = new AtomicLong();
        int cycles;

        Churn(EventBus bus, Random random, AtomicBoolean running) {
            this.bus = bus;
            this.random = random;
            this.running = running;
        }

        @Override
        public void run() {
            while (running.get() && cycles < 2_000) {
                cycles++;
                AtomicBoolean closed = new AtomicBoolean();
                SubscribeOptions options = random.nextBoolean()
                        ? SubscribeOptions.direct()
                        : SubscribeOptions.async().withCapacity(1 + random.nextInt(8));
                Subscription subscription = bus.subscribe(
                        SubjectPattern.of(PATTERNS[random.nextInt(PATTERNS.length)]),
                        e -> {
                            calls.incrementAndGet();
                            if (closed.get()) {
                                lateCalls.incrementAndGet();
                            }
                        },
                        options);
                for (int i = random.nextInt(50); i > 0; i--) {
                    Thread.yield();
                }
                subscription.close();
                closed.set(true);
            }
        }
    }

    /** Reads the metrics over and over and records any counter that decreased. */
    final class MetricsWatch implements Runnable {
        private final EventBus bus;
        private final AtomicBoolean running;
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

        MetricsWatch(EventBus bus, AtomicBoolean running) {
            this.bus = bus;
            this.running = running;
        }

        @Override
        public void run() {
            BusMetrics before = bus.metrics();
            while (running.get()) {
                BusMetrics now = bus.metrics();
                check("published", before.published(), now.published());
                check("delivered", before.delivered(), now.delivered());
                check("rejected", before.rejected(), now.rejected());
                check("discarded", before.discarded(), now.discarded());
                check("dead", before.dead(), now.dead());
                before = now;
                Thread.yield();
            }
        }

        private void check(String counter, long before, long now) {
            if (now < before) {
                errors.add(counter + " went from " + before + " to " + now);
            }
        }
    }
}
