package dev.colony.bus;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Part of {@link EventBusContract}: who receives an event, on which thread, in which order. */
public interface EventBusDeliveryContract extends EventBusFixture {

    @ParameterizedTest(name = "routeCachedBeforeSubscribing={0}")
    @ValueSource(booleans = {false, true})
    default void publish_directSubscribers_runOnThePublisherThreadHighestPriorityFirstTiesInSubscriptionOrder(
            boolean routeCachedBeforeSubscribing) {
        EventBus bus = bus();
        if (routeCachedBeforeSubscribing) {
            assertThat(bus.publish("job.run", "warm-up").isDead()).isTrue();
        }
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        SubscribeOptions direct = SubscribeOptions.direct();
        record Sub(String pattern, int priority, String name) {}
        List<Sub> subs = List.of(
                new Sub("job.*", 1, "low"),
                new Sub("job.run", 6, "tie1"),
                new Sub(">", 9, "top"),
                new Sub("regex:job\\..*", 6, "tie2"),
                new Sub("job.run", 6, "tie3"),
                new Sub("job.>", 0, "zero"),
                new Sub("job.walk", 9, "other-subject"));
        for (Sub sub : subs) {
            SubjectPattern pattern = sub.pattern().startsWith("regex:")
                    ? SubjectPattern.regex(sub.pattern().substring(6))
                    : SubjectPattern.of(sub.pattern());
            bus.subscribe(
                    pattern,
                    e -> {
                        order.add(sub.name());
                        threads.add(Thread.currentThread());
                    },
                    direct.withPriority(sub.priority()));
        }

        PublishResult result = bus.publish("job.run", "x");

        assertThat(order).containsExactly("top", "tie1", "tie2", "tie3", "low", "zero");
        assertThat(threads).containsOnly(Thread.currentThread());
        assertThat(result).isEqualTo(new PublishResult(6, 6, 0, 0, 0));
        assertThat(result.isClean()).isTrue();
    }

    @Test
    default void publish_asyncSubscriber_handlerRunsOnItsDrainerThreadNotThePublisher() throws Exception {
        EventBus bus = bus();
        CompletableFuture<Thread> handlerThread = new CompletableFuture<>();
        bus.subscribe(
                SubjectPattern.of("a.b"),
                e -> handlerThread.complete(Thread.currentThread()),
                SubscribeOptions.async());

        PublishResult result = bus.publish("a.b", "x");

        assertThat(result).isEqualTo(new PublishResult(1, 1, 0, 0, 0));
        Thread thread = handlerThread.get(BusTesting.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(thread).isNotSameAs(Thread.currentThread());
        assertThat(thread.isVirtual()).isEqualTo(virtualDrainers());
    }

    @Test
    default void publish_asyncEventsQueuedBehindABlockedHandler_higherPriorityFirstAndFifoWithinAPriority()
            throws Exception {
        EventBus bus = bus();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> received = new CopyOnWriteArrayList<>();
        bus.subscribe(
                SubjectPattern.of("prio.>"),
                e -> {
                    received.add((String) e.payload());
                    if (e.payload().equals("block")) {
                        started.countDown();
                        awaitLatch(release);
                    }
                },
                SubscribeOptions.async().withCapacity(64));
        try {
            bus.publish("prio.x", "block");
            awaitLatch(started);
            String[][] events = {{"p1-a", "1"}, {"p7-a", "7"}, {"p4-a", "4"}, {"p7-b", "7"}, {"p1-b", "1"}};
            for (String[] event : events) {
                bus.publish(Subject.of("prio.x"), event[0], Integer.parseInt(event[1]));
            }
            bus.publish(new Event(Subject.of("prio.y"), "p9-a", 9));
            bus.publish(Subject.of("prio.x"), "p4-b"); // normal priority is 4
        } finally {
            release.countDown();
        }
        eventually().until(() -> received.size() == 8);
        assertThat(received).containsExactly("block", "p9-a", "p7-a", "p7-b", "p4-a", "p4-b", "p1-a", "p1-b");
    }

    @ParameterizedTest(name = "capacity={0}")
    @ValueSource(ints = {1, 16, 4096})
    default void publish_onePublisherManyEvents_asyncDeliversThemInPublishOrder(int capacity) {
        EventBus bus = bus();
        List<Integer> received = new CopyOnWriteArrayList<>();
        bus.subscribe(
                SubjectPattern.of("seq.*"),
                e -> received.add((Integer) e.payload()),
                SubscribeOptions.async().withCapacity(capacity));
        int count = 3_000;
        for (int i = 0; i < count; i++) {
            assertThat(bus.publish(i % 2 == 0 ? "seq.even" : "seq.odd", i).accepted())
                    .isEqualTo(1);
        }
        eventually().until(() -> received.size() >= count);
        assertThat(received)
                .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    @Test
    default void publish_eachVariant_deliversTheSubjectPayloadAndPriority() {
        EventBus bus = bus();
        List<Event> received = new ArrayList<>();
        bus.subscribe("v.*", received::add);
        Subject subject = Subject.of("v.x");

        bus.publish("v.x", "text");
        bus.publish(subject, "subject");
        bus.publish(subject, "priority", 7);
        bus.publish(new Event(subject, "event", 2));

        assertThat(received)
                .containsExactly(
                        new Event(subject, "text", Event.NORMAL_PRIORITY),
                        new Event(subject, "subject", Event.NORMAL_PRIORITY),
                        new Event(subject, "priority", 7),
                        new Event(subject, "event", 2));
    }

    @Test
    default void publish_invalidArguments_failFastWithStandardExceptions() {
        EventBus bus = bus();
        assertThatThrownBy(() -> bus.publish("a..b", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"a..b\"");
        assertThatThrownBy(() -> bus.publish("a.*", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.publish(Subject.of("a"), "x", 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10");
        assertThatThrownBy(() -> bus.publish("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> bus.publish((String) null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> bus.publish((Event) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> bus.subscribe("a b", e -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.subscribe(SubjectPattern.of("a"), null, SubscribeOptions.direct()))
                .isInstanceOf(NullPointerException.class);
        assertThat(bus.metrics().published()).isZero();
    }

    @Test
    default void publishAll_mixedSubjects_deliversInOrderAndSumsTheResults() {
        List<Event> dead = new CopyOnWriteArrayList<>();
        EventBus bus = bus(EventBus.builder().onDeadEvent(dead::add).onHandlerFailure(f -> {}));
        List<Object> received = new ArrayList<>();
        bus.subscribe("x.*", e -> received.add(e.payload()));
        bus.subscribe(
                SubjectPattern.of("x.b"),
                e -> {
                    throw new IllegalStateException("expected");
                },
                SubscribeOptions.direct());
        Subject xa = Subject.of("x.a");
        Subject xb = Subject.of("x.b");
        Subject yz = Subject.of("y.z");

        PublishResult result = bus.publishAll(
                List.of(new Event(xa, 1), new Event(yz, 2), new Event(xb, 3), new Event(xa, 4), new Event(xa, 5)));

        assertThat(received).containsExactly(1, 3, 4, 5);
        assertThat(result).isEqualTo(new PublishResult(5, 4, 0, 0, 1));
        assertThat(dead).extracting(Event::payload).containsExactly(2);
        BusMetrics metrics = bus.metrics();
        assertThat(metrics.published()).isEqualTo(5);
        assertThat(metrics.dead()).isEqualTo(1);
        assertThat(metrics.delivered()).isEqualTo(4);
        assertThat(metrics.failed()).isEqualTo(1);
    }

    @Test
    default void publishAll_emptyOrWithNull_returnsNothingOrThrows() {
        EventBus bus = bus();
        assertThat(bus.publishAll(List.of())).isEqualTo(new PublishResult(0, 0, 0, 0, 0));
        List<Event> withNull = new ArrayList<>();
        withNull.add(new Event(Subject.of("a"), "x"));
        withNull.add(null);
        assertThatThrownBy(() -> bus.publishAll(withNull)).isInstanceOf(NullPointerException.class);
        assertThat(bus.metrics().published()).isZero();
    }

    @ParameterizedTest(name = "pattern={0}")
    @ValueSource(strings = {"orders.eu.new", "orders.*.new", "orders.>", "regex:orders\\.(eu|us)\\.new"})
    default void subscribe_afterTheSubjectWasPublished_theNextPublishSeesItAndCloseRemovesIt(String pattern) {
        EventBus bus = bus();
        assertThat(bus.publish("orders.eu.new", 1).isDead()).isTrue();
        List<Object> received = new ArrayList<>();
        SubjectPattern parsed =
                pattern.startsWith("regex:") ? SubjectPattern.regex(pattern.substring(6)) : SubjectPattern.of(pattern);
        Subscription subscription = bus.subscribe(parsed, e -> received.add(e.payload()), SubscribeOptions.direct());

        assertThat(bus.publish("orders.eu.new", 2)).isEqualTo(new PublishResult(1, 1, 0, 0, 0));
        assertThat(bus.publish("orders.us.old", 3).matched()).isEqualTo(pattern.equals("orders.>") ? 1 : 0);
        subscription.close();

        assertThat(bus.publish("orders.eu.new", 4).isDead()).isTrue();
        assertThat(received).containsExactlyElementsOf(pattern.equals("orders.>") ? List.of(2, 3) : List.of(2));
        assertThat(subscription.pattern()).isEqualTo(parsed);
        assertThat(subscription.options()).isEqualTo(SubscribeOptions.direct());
    }

    @Test
    default void subscribe_whileAnotherThreadPublishes_everyPublishStartedAfterSubscribeReturnsIsSeen()
            throws Exception {
        EventBus bus = bus();
        AtomicInteger started = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread publisher = Thread.ofPlatform().start(() -> {
            while (!stop.get() && started.get() < 5_000_000) {
                bus.publish("hot.x", started.incrementAndGet()); // the route stays hot in any cache
            }
        });
        String[] patterns = {"hot.x", "hot.*", "hot.>", "regex:hot\\..*", ">", "*.x"};
        List<Integer> firstSeqs = new ArrayList<>();
        List<BitSet> seen = new ArrayList<>(); // written on the publisher thread, read after join
        try {
            for (int i = 0; i < 36; i++) {
                String pattern = patterns[i % patterns.length];
                BitSet received = new BitSet();
                bus.subscribe(
                        pattern.startsWith("regex:")
                                ? SubjectPattern.regex(pattern.substring(6))
                                : SubjectPattern.of(pattern),
                        e -> received.set((Integer) e.payload()),
                        SubscribeOptions.direct());
                int from = started.get() + 1; // this publish, and all later ones, began after subscribe returned
                firstSeqs.add(from);
                seen.add(received);
                eventually().until(() -> started.get() > from + 50);
            }
        } finally {
            stop.set(true);
            BusTesting.join(publisher);
        }
        int last = started.get();
        for (int i = 0; i < seen.size(); i++) {
            BitSet missing = new BitSet();
            missing.set(firstSeqs.get(i), last + 1);
            missing.andNot(seen.get(i));
            assertThat(missing.isEmpty())
                    .as("subscription %d (%s) missed publishes %s", i, patterns[i % patterns.length], missing)
                    .isTrue();
        }
    }

    @Test
    default void publish_closedBus_throwsIllegalStateForEveryVariant() {
        EventBus bus = bus();
        bus.subscribe("a", e -> {});
        bus.close();
        Subject subject = Subject.of("a");
        assertThatThrownBy(() -> bus.publish("a", "x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.publish(subject, "x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.publish(subject, "x", 9)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.publish(new Event(subject, "x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.publishAll(List.of(new Event(subject, "x"))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.subscribe("a", e -> {})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.subscribe(SubjectPattern.of("a"), e -> {}, SubscribeOptions.async()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(bus.metrics().published()).isZero();
        assertThat(bus.metrics().subscriptions()).isZero();
    }
}
