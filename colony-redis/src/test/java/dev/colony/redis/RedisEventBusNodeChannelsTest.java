package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Node channels (ADR 0075): a node publishes every event on its own channel in batches across subjects, and the
 * receivers route by subject. Order across subjects, batching, foreign and subject-channel publishers beside
 * node-channel ones, and a receiver that wants none of what it hears.
 */
class RedisEventBusNodeChannelsTest {
    private static final AtomicInteger SWARMS = new AtomicInteger();

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        resources.clear();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10));
    }

    private RedisEventBus node(String swarm, String busChannels) {
        RedisLink link =
                RedisLink.open(redis.server().target(swarm), RedisSettings.from(Map.of("busChannels", busChannels)));
        resources.add(link);
        RedisEventBus bus = RedisEventBus.open(link, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT);
        resources.add(bus);
        return bus;
    }

    private static long publishCalls() {
        String stats = redis.server().command("INFO commandstats");
        int at = stats.indexOf("cmdstat_publish:calls=");
        if (at < 0) {
            return 0;
        }
        int from = at + "cmdstat_publish:calls=".length();
        return Long.parseLong(stats.substring(from, stats.indexOf(',', from)));
    }

    @Test
    void eightSubjectsRoundRobin_arriveInPublishOrderInFewPublishes() {
        String swarm = "order" + SWARMS.incrementAndGet();
        RedisEventBus publisher = node(swarm, "node");
        RedisEventBus subscriber = node(swarm, "node");
        List<Integer> all = new CopyOnWriteArrayList<>();
        List<Integer> odd = new CopyOnWriteArrayList<>();
        subscriber.subscribe(
                SubjectPattern.of("ord.>"), e -> all.add((Integer) e.payload()), SubscribeOptions.direct());
        subscriber.subscribe(
                SubjectPattern.regex("ord\\.e[1357]"), e -> odd.add((Integer) e.payload()), SubscribeOptions.async());
        redis.server().command("CONFIG RESETSTAT");
        int n = 20_000;
        publisher.publishAll(IntStream.range(0, 64)
                .mapToObj(i -> new Event(Subject.of("ord.e" + (i & 7)), i))
                .toList());
        for (int i = 64; i < n; i++) {
            publisher.publish("ord.e" + (i & 7), i);
        }

        await().until(() -> all.size() == n && odd.size() == n / 2);
        assertThat(all).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
        assertThat(odd)
                .containsExactlyElementsOf(
                        IntStream.range(0, n).filter(i -> (i & 1) == 1).boxed().toList());
        // one PUBLISH per drain of the sender (up to 64 KiB), not one per event: subjects never ran together
        assertThat(publishCalls()).isLessThan(n / 10);
        assertThat(subscriber.metrics().missed()).isZero();
        assertThat(subscriber.wireStats().malformed()).isZero();
    }

    @Test
    void foreignAndSubjectChannelPublishers_deliveredBesideNodeChannelOnes() {
        String swarm = "mixed" + SWARMS.incrementAndGet();
        RedisEventBus byNode = node(swarm, "node");
        RedisEventBus bySubject = node(swarm, "subject");
        RedisEventBus subscriber = node(swarm, "node");
        List<Object> received = new CopyOnWriteArrayList<>();
        subscriber.subscribe(SubjectPattern.of("mix.>"), e -> received.add(e.payload()), SubscribeOptions.direct());

        byNode.publish("mix.a", "node-1");
        bySubject.publish("mix.b", "subject-1");
        try (RedisLinkConnection<String, String> raw =
                RedisLink.open(redis.server().target(swarm)).connectStrings()) {
            raw.sync().publish("colony:{" + swarm + "}:ev:mix.c", "{\"data\":\"foreign-1\"}");
        }
        byNode.publish("mix.a", "node-2");
        bySubject.publish("mix.b", "subject-2");

        await().until(() -> received.size() == 5);
        assertThat(received).containsExactlyInAnyOrder("node-1", "node-2", "subject-1", "subject-2", "foreign-1");
        assertThat(received.indexOf("node-1")).isLessThan(received.indexOf("node-2"));
        assertThat(received.indexOf("subject-1")).isLessThan(received.indexOf("subject-2"));
        assertThat(subscriber.metrics().delivered()).isEqualTo(5);
        assertThat(subscriber.wireStats().malformed()).isZero();
    }

    @Test
    void nodeWithoutMatchingSubscription_hearsTheBatchesAndDropsThemUndecoded() {
        String swarm = "sparse" + SWARMS.incrementAndGet();
        RedisEventBus publisher = node(swarm, "node");
        RedisEventBus subscriber = node(swarm, "node");
        AtomicLong handled = new AtomicLong();
        subscriber.subscribe(
                SubjectPattern.of("wanted.only"), e -> handled.incrementAndGet(), SubscribeOptions.direct());
        for (int i = 0; i < 1_000; i++) {
            publisher.publish("other.s" + (i & 3), "event-" + i);
        }
        // a frame whose data would be malformed if read (it does not fit the record colonytype names): skipped
        String frame = "{\"colonynode\":\"feedfeedfeed\",\"subject\":\"other.bad\",\"colonytype\":\""
                + RedisEventBusTest.Stamp.class.getName() + "\",\"data\":{\"seq\":\"not a number\"}}";
        try (RedisLinkConnection<String, String> raw =
                RedisLink.open(redis.server().target(swarm)).connectStrings()) {
            raw.sync().publish("colony:{" + swarm + "}:bus:feedfeedfeed", "[" + frame + "," + frame + "]");
        }

        await().until(() -> subscriber.wireStats().received() == 1_002);
        assertThat(subscriber.wireStats().unmatched()).isEqualTo(1_002);
        assertThat(subscriber.wireStats().malformed()).isZero();
        assertThat(handled.get()).isZero();
        assertThat(subscriber.metrics().delivered()).isZero();
        assertThat(subscriber.metrics().dead())
                .as("not dead here: nobody on this node wanted them")
                .isZero();
    }

    @Test
    void nodeChannelFrameWithoutSubject_isMalformedAndNothingOfItsBatchDelivered() {
        String swarm = "nosubject" + SWARMS.incrementAndGet();
        RedisEventBus subscriber = node(swarm, "node");
        List<Object> received = new CopyOnWriteArrayList<>();
        subscriber.subscribe(SubjectPattern.of(">"), e -> received.add(e.payload()), SubscribeOptions.direct());
        try (RedisLinkConnection<String, String> raw =
                RedisLink.open(redis.server().target(swarm)).connectStrings()) {
            String channel = "colony:{" + swarm + "}:bus:feedfeedfeed";
            raw.sync().publish(channel, "[{\"subject\":\"a.b\",\"data\":1},{\"data\":2}]");
            raw.sync().publish(channel, "[{\"subject\":\"a b\",\"data\":3}]");
            raw.sync().publish(channel, "[{\"subject\":\"a.b\",\"data\":4}]");
        }
        await().until(() -> received.size() == 1);
        assertThat(received).containsExactly(4);
        assertThat(subscriber.wireStats().malformed()).isEqualTo(2);
    }
}
