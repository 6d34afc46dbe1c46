package dev.colony.redis;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.Messenger;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Poison pills over Redis: an entry that cannot decode is dead-lettered and acknowledged at once, and an
 * entry delivered more than {@code maxDeliveries} times (its handling crashed or hung on every node that
 * took it) is dead-lettered and acknowledged by the next claim instead of being handled again.
 */
class RedisPoisonPillTest {
    private static final AgentId WORKER = AgentId.of("worker");
    private static final int MAX_DELIVERIES = 3;
    private static final RedisMessengerOptions FAST = RedisMessengerOptions.defaults()
            .withClaimIdle(Duration.ofMillis(200))
            .withReadBlock(Duration.ofMillis(100))
            .withMaxDeliveries(MAX_DELIVERIES);
    private static RedisServer server;
    private static RedisClient foreignClient;
    private static int swarms;
    private StatefulRedisConnection<String, String> foreign;
    private RedisLink link;
    private RedisMessenger messenger;
    private String swarm;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
        foreignClient = RedisClient.create("redis://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stopServer() {
        foreignClient.shutdown();
        server.close();
    }

    @BeforeEach
    void node() {
        swarm = "poison" + ++swarms;
        link = RedisLink.open(server.target(swarm));
        messenger = RedisMessenger.open(link, Messenger.builder(), FAST);
        foreign = foreignClient.connect();
    }

    @AfterEach
    void close() {
        messenger.close();
        link.close();
        foreign.close();
    }

    @Test
    void undecodableEntry_reportedCaseDeadLetteredAndAcknowledgedAtOnce() {
        List<Envelope> received = new CopyOnWriteArrayList<>();
        messenger.open(WORKER).attach(received::add);
        RedisCommands<String, String> redis = foreign.sync();
        String deep = "[".repeat(500) + "]".repeat(500);
        String event = "{\"specversion\":\"1.0\",\"id\":\"deep-1\",\"source\":\"colony:agent/x\",\"type\":\"t\","
                + "\"time\":\"2026-12-01T10:00:00Z\",\"data\":" + deep + "}";

        redis.xadd(stream(), Map.of("m", event));
        Envelope after = Envelope.of(AgentId.of("alice"), WORKER, "t", "after");
        messenger.send(after);

        eventually().until(() -> received.size() == 1);
        assertThat(received).containsExactly(after);
        assertThat(messenger.deadLetters().poll())
                .satisfies(letter -> assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MALFORMED))
                .satisfies(letter -> assertThat(letter.detail()).isEqualTo("data nests deeper than 64 levels"));
        eventually().until(() -> redis.xpending(stream(), RedisMessenger.GROUP).getCount() == 0);
        assertThat(redis.xlen(stream())).isZero();
    }

    @Test
    @SuppressWarnings("unchecked") // XREADGROUP's varargs of stream offsets
    void claimedEntry_deliveredMoreThanMaxDeliveries_deadLetteredAndAcknowledgedNotHandled() {
        Inbox inbox = messenger.open(WORKER); // creates the stream's group; not attached, so this node reads nothing
        RedisCommands<String, String> redis = foreign.sync();
        String poison = redis.xadd(stream(), Map.of("m", encoded("poison")));
        String survivor = redis.xadd(stream(), Map.of("m", encoded("survivor")));
        Consumer<String> ghost = Consumer.from(RedisMessenger.GROUP, "ghost");
        // a consumer that took both and died; the poison has been handed out MAX_DELIVERIES times already
        redis.xreadgroup(ghost, XReadArgs.StreamOffset.lastConsumed(stream()));
        redis.xclaim(stream(), ghost, XClaimArgs.Builder.minIdleTime(0).retryCount(MAX_DELIVERIES), poison);
        redis.xclaim(stream(), ghost, XClaimArgs.Builder.minIdleTime(0).retryCount(1), survivor);
        List<Object> handled = new CopyOnWriteArrayList<>();

        inbox.attach(m -> handled.add(m.payload()));

        eventually().until(() -> handled.size() == 1 && messenger.deadLetters().size() == 1);
        assertThat(handled).containsExactly("survivor");
        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.HANDLER_FAILED);
        assertThat(letter.detail())
                .isEqualTo("delivered " + (MAX_DELIVERIES + 1) + " times without being acknowledged (its handling"
                        + " crashed or hung each time); the limit is " + MAX_DELIVERIES + " deliveries");
        assertThat(new String(letter.bytes(), StandardCharsets.UTF_8)).contains("\"poison\"");
        assertThat(messenger.overDelivered()).isEqualTo(1);
        eventually().until(() -> redis.xpending(stream(), RedisMessenger.GROUP).getCount() == 0);
        assertThat(redis.xlen(stream())).isZero();
    }

    private String encoded(Object payload) {
        return new String(
                messenger.codec().encode(Envelope.of(AgentId.of("alice"), WORKER, "job", payload)),
                StandardCharsets.UTF_8);
    }

    private String stream() {
        return "colony:{" + swarm + "}:inbox:worker";
    }
}
