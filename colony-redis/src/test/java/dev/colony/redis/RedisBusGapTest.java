package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.BusGap;
import dev.colony.bus.EventBus;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gaps made visible (ADR 0036): a subscriber whose pub/sub connection is killed (CLIENT KILL) while another
 * node publishes counts exactly the events it missed, reports them in its metrics and announces
 * {@code colony.bus.gap}. Its user is switched off in the ACL while it is away, so that it cannot reconnect
 * before the publishes are done: the loss is exact, not a race.
 */
class RedisBusGapTest {
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
        server.command("ACL SETUSER sub on >subpw ~* &* +@all");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10));
    }

    /**
     * The publisher alternates a subject the subscriber listens to and one it does not. On subject channels the
     * subscriber counts the 150 lost events of its subject, on that subject; on the publisher's node channel it
     * hears every event of the publisher, so it counts all 300 lost, on subject {@code >} (any subject).
     */
    @ParameterizedTest(name = "{0} channels")
    @EnumSource(RedisEventBusChannels.Publishing.class)
    void subscriberKilledWhilePublishing_countsExactlyTheMissedEventsAndAnnouncesTheGap(
            RedisEventBusChannels.Publishing channels) {
        String swarm = "gaps-" + channels;
        RedisSettings settings = RedisSettings.from(Map.of("busChannels", channels.name()));
        try (RedisLink publisherLink = RedisLink.open(server.target(swarm), settings);
                RedisLink subscriberLink = RedisLink.open(
                        RedisTarget.of("redis://sub:subpw@127.0.0.1:" + server.port(), swarm), settings);
                RedisEventBus publisher =
                        RedisEventBus.open(publisherLink, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT);
                RedisEventBus subscriber =
                        RedisEventBus.open(subscriberLink, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT)) {
            AtomicLong received = new AtomicLong();
            List<BusGap> gaps = new CopyOnWriteArrayList<>();
            subscriber.subscribe(
                    SubjectPattern.of("gap.>"), e -> received.incrementAndGet(), SubscribeOptions.direct());
            subscriber.subscribe(
                    SubjectPattern.of(BusGap.SUBJECT), e -> gaps.add((BusGap) e.payload()), SubscribeOptions.direct());

            publish(publisher, 0, 200);
            await().until(() -> received.get() == 100);

            server.command("ACL SETUSER sub off");
            assertThat(server.command("CLIENT KILL USER sub")).startsWith(":");
            publish(publisher, 200, 300);
            await().until(() -> publisher.wireStats().sent() == 500);
            server.command("ACL SETUSER sub on");
            await().until(() -> subscriber.wireStats().resubscribed() >= 1);
            publish(publisher, 500, 200);

            boolean node = channels == RedisEventBusChannels.Publishing.NODE;
            long missed = node ? 300 : 150;
            await().until(() -> received.get() == 200 && subscriber.metrics().missed() == missed);
            assertThat(subscriber.wireStats().missed()).isEqualTo(missed);
            assertThat(gaps).containsExactly(new BusGap(publisher.node(), node ? ">" : "gap.events", missed));
            assertThat(publisher.metrics().missed()).isZero();
        }
    }

    @Test
    void noLoss_sequenceNumbersOnEveryFrame_noGapCounted() {
        try (RedisLink a = RedisLink.open(server.target("nogaps"));
                RedisLink b = RedisLink.open(server.target("nogaps"));
                RedisEventBus publisher =
                        RedisEventBus.open(a, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT);
                RedisEventBus subscriber =
                        RedisEventBus.open(b, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT)) {
            AtomicLong received = new AtomicLong();
            subscriber.subscribe(
                    SubjectPattern.of("gap.>"), e -> received.incrementAndGet(), SubscribeOptions.direct());
            subscriber.subscribe(
                    SubjectPattern.of("other.>"), e -> received.incrementAndGet(), SubscribeOptions.direct());
            for (int i = 0; i < 1000; i++) {
                publisher.publish(i % 2 == 0 ? "gap.events" : "other.events", "event-" + i);
            }
            await().until(() -> received.get() == 1000);
            assertThat(subscriber.metrics().missed()).isZero();
        }
    }

    @Test
    void gaps_observe_countsJumpsOnlyAfterABaseline() {
        RedisEventBusGaps gaps = new RedisEventBusGaps();
        assertThat(gaps.observe("n1", "c", 5)).isZero(); // first seen: the baseline
        assertThat(gaps.observe("n1", "c", 6)).isZero();
        assertThat(gaps.observe("n1", "c", 10)).isEqualTo(3);
        assertThat(gaps.observe("n1", "c", 10)).isZero(); // a duplicate
        assertThat(gaps.observe("n1", "c", 1)).isZero(); // the publisher started over
        assertThat(gaps.observe("n1", "c", 3)).isEqualTo(1);
        assertThat(gaps.observe("n2", "c", 7)).isZero(); // another publisher: its own baseline
        assertThat(gaps.observe("n1", "d", 7)).isZero(); // another channel: its own baseline
        assertThat(gaps.observe(null, "c", 9)).isZero(); // a foreign frame without a node
        gaps.forget();
        assertThat(gaps.observe("n1", "c", 9)).isZero();
    }

    /** Events {@code from} to {@code from + n - 1}, even ones on {@code gap.events}, odd ones on {@code else.events}. */
    private static void publish(RedisEventBus bus, int from, int n) {
        for (int i = from; i < from + n; i++) {
            bus.publish(i % 2 == 0 ? "gap.events" : "else.events", "event-" + i);
        }
    }
}
