package dev.colony.redis;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire protocol from outside: a plain Lettuce connection plays an agent in another language, writing
 * stream entries and keys by hand as docs/redis-protocol.md describes them.
 */
class RedisMessengerWireTest {
    private static final AgentId BOB = AgentId.of("bob");
    private static RedisServer server;
    private static RedisClient foreignClient;
    private StatefulRedisConnection<String, String> foreign;
    private RedisLink link;
    private Messenger messenger;
    private String swarm;
    private static int swarms;

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
        swarm = "wire" + ++swarms;
        link = RedisLink.open(server.target(swarm));
        messenger = RedisMessenger.open(link, Messenger.builder());
        foreign = foreignClient.connect();
    }

    @AfterEach
    void close() {
        messenger.close();
        link.close();
        foreign.close();
    }

    private String key(String suffix) {
        return "colony:{" + swarm + "}:" + suffix;
    }

    @Test
    void malformedEntries_deadLetteredAndTheInboxGoesOn() {
        List<Envelope> received = new CopyOnWriteArrayList<>();
        messenger.open(BOB).attach(received::add);
        RedisCommands<String, String> redis = foreign.sync();

        redis.xadd(key("inbox:bob"), Map.of("m", "{not json"));
        redis.xadd(key("inbox:bob"), Map.of("note", "an entry without a message"));
        Envelope good = Envelope.of(AgentId.of("alice"), BOB, "t", "fine");
        messenger.send(good);

        eventually().until(() -> received.size() == 1);
        assertThat(received).containsExactly(good);
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).hasSize(2).allSatisfy(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MALFORMED);
            assertThat(letter.envelope()).isNull();
            assertThat(letter.recipient()).isEqualTo(BOB);
            assertThat(letter.detail()).isNotBlank();
        });
        assertThat(new String(letters.get(0).bytes(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{not json");
        eventually().until(() -> redis.xlen(key("inbox:bob")) == 0); // acknowledged and deleted, the bad ones too
    }

    @Test
    void foreignSender_handWrittenCloudEvent_deliveredToAJavaInbox() {
        List<Envelope> received = new CopyOnWriteArrayList<>();
        messenger.open(BOB).attach(received::add);
        String json = """
                {"specversion":"1.0","id":"py-1","source":"colony:agent/py-worker","type":"task.offer",
                 "time":"2026-11-27T10:00:00Z","to":"bob","priority":6,"tenant":"acme",
                 "data":{"task":"t-9","score":0.75}}""";

        foreign.sync().xadd(key("inbox:bob"), Map.of("m", json, "p", "6"));

        eventually().until(() -> received.size() == 1);
        Envelope got = received.get(0);
        assertThat(got.id()).isEqualTo("py-1");
        assertThat(got.source()).isEqualTo(AgentId.of("py-worker"));
        assertThat(got.type()).isEqualTo("task.offer");
        assertThat(got.priority()).isEqualTo(6);
        assertThat(got.headers()).containsEntry("tenant", "acme");
        assertThat(got.payload()).isEqualTo(Map.of("task", "t-9", "score", 0.75));
    }

    @Test
    @SuppressWarnings("unchecked") // xreadgroup's generic varargs
    void foreignAgent_opensAnInboxReceivesARequestAcksAndReplies() throws Exception {
        RedisCommands<String, String> redis = foreign.sync();
        // open: a directory entry (its node must keep colony:{swarm}:node:<node> alive) and the group
        redis.set(key("node:py-node"), "1", io.lettuce.core.SetArgs.Builder.px(60_000));
        redis.hset(
                key("inboxes"),
                "py",
                "{\"node\":\"py-node\",\"roles\":[\"calc\"],\"capacity\":100,\"overflow\":\"FAIL\"}");
        redis.xgroupCreate(
                XReadArgs.StreamOffset.from(key("inbox:py"), "0"),
                "colony",
                io.lettuce.core.XGroupCreateArgs.Builder.mkstream());

        CompletableFuture<Envelope> reply = messenger.request(
                Envelope.of(AgentId.of("java"), AgentId.of("py"), "calc.square", 7), Duration.ofSeconds(30));

        List<StreamMessage<String, String>> got = redis.xreadgroup(
                Consumer.from("colony", "py-node"),
                XReadArgs.Builder.block(10_000).count(10),
                XReadArgs.StreamOffset.lastConsumed(key("inbox:py")));
        assertThat(got).hasSize(1);
        String request = got.get(0).getBody().get("m");
        String correlation = field(request, "correlationid");
        String replyTo = field(request, "replyto");
        assertThat(replyTo).isEqualTo("java");
        // reply: find the waiting request's node, append the reply to its reply stream, then ack + delete
        String waiting = redis.get(key("request:" + correlation));
        String node = waiting.substring(0, waiting.indexOf(' '));
        assertThat(waiting.substring(waiting.indexOf(' ') + 1)).isEqualTo("java");
        String answer =
                "{\"specversion\":\"1.0\",\"id\":\"py-r1\",\"source\":\"colony:agent/py\",\"type\":\"calc.square.reply\","
                        + "\"time\":\"2026-11-27T10:00:01Z\",\"to\":\"java\",\"correlationid\":\"" + correlation
                        + "\",\"data\":49}";
        redis.xadd(key("replies:" + node), Map.of("m", answer));
        redis.xack(key("inbox:py"), "colony", got.get(0).getId());
        redis.xdel(key("inbox:py"), got.get(0).getId());

        Envelope response = reply.get(30, TimeUnit.SECONDS);
        assertThat(response.payload()).isEqualTo(49);
        assertThat(response.source()).isEqualTo(AgentId.of("py"));
        assertThat(messenger.metrics().pendingRequests()).isZero();
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(matcher.find()).as("attribute %s in %s", name, json).isTrue();
        return matcher.group(1);
    }
}
