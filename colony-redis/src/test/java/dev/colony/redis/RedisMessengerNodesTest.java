package dev.colony.redis;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Audience;
import dev.colony.messaging.BroadcastResult;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.ReplyException;
import dev.colony.messaging.ReplyFailure;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two messenger nodes of one swarm, each on its own link, exchanging messages through Redis. */
class RedisMessengerNodesTest {
    private static final AtomicInteger SWARMS = new AtomicInteger();

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Messenger left;
    private Messenger right;

    @org.junit.jupiter.api.BeforeEach
    void twoNodes() {
        String swarm = "nodes" + SWARMS.incrementAndGet();
        left = node(swarm);
        right = node(swarm);
    }

    private Messenger node(String swarm) {
        RedisLink link = RedisLink.open(redis.server().target(swarm));
        Messenger messenger = RedisMessenger.open(link, Messenger.builder());
        resources.add(link);
        resources.add(0, messenger); // messengers close before their links
        return messenger;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private static AgentId id(String value) {
        return AgentId.of(value);
    }

    @Test
    void send_bothWays_everyMessageOnceInOrder() {
        int count = 500;
        List<Object> atRight = new CopyOnWriteArrayList<>();
        List<Object> atLeft = new CopyOnWriteArrayList<>();
        right.open(id("r1")).attach(m -> atRight.add(m.payload()));
        left.open(id("l1")).attach(m -> atLeft.add(m.payload()));

        for (int i = 0; i < count; i++) {
            assertThat(left.send(Envelope.of(id("l1"), id("r1"), "n", i))).isEqualTo(SendOutcome.DELIVERED);
            assertThat(right.send(Envelope.of(id("r1"), id("l1"), "n", i))).isEqualTo(SendOutcome.DELIVERED);
        }

        eventually().until(() -> atRight.size() == count && atLeft.size() == count);
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(i);
        }
        assertThat(atRight).containsExactlyElementsOf(expected);
        assertThat(atLeft).containsExactlyElementsOf(expected);
        assertThat(left.metrics().sent()).isEqualTo(count);
        assertThat(right.metrics().delivered()).isEqualTo(count);
        assertThat(left.deadLetters().total() + right.deadLetters().total()).isZero();
    }

    @Test
    void request_toTheOtherNode_everyReplyMatchesAndNothingLeft() throws Exception {
        right.open(id("server")).attach(m -> right.reply(m, "re:" + m.payload()));
        int count = 300;
        List<CompletableFuture<Envelope>> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            replies.add(left.request(Envelope.of(id("client"), id("server"), "q", i), Duration.ofSeconds(30)));
        }

        for (int i = 0; i < count; i++) {
            Envelope reply = replies.get(i).get(30, TimeUnit.SECONDS);
            assertThat(reply.payload()).isEqualTo("re:" + i);
            assertThat(reply.source()).isEqualTo(id("server"));
            assertThat(reply.recipient()).isEqualTo(id("client"));
        }
        assertThat(left.metrics().pendingRequests()).isZero();
        assertThat(left.metrics().requestRoundTrip().count()).isEqualTo(count);
        // a handler is counted once it returned, which is after its reply left: the last count may trail the reply
        eventually().until(() -> right.metrics().delivered() == count);
    }

    @Test
    void request_failuresAcrossNodes_reportedToTheRequester() throws Exception {
        right.open(id("grumpy")).attach(m -> {
            throw new IllegalStateException("out of coffee");
        });
        Inbox sleeping = right.open(id("sleeping")); // no handler: requests wait in its stream

        CompletableFuture<Envelope> failing =
                left.request(Envelope.of(id("c"), id("grumpy"), "q", 1), Duration.ofSeconds(30));
        CompletableFuture<Envelope> waiting =
                left.request(Envelope.of(id("c"), id("sleeping"), "q", 2), Duration.ofSeconds(30));
        CompletableFuture<Envelope> nobody =
                left.request(Envelope.of(id("c"), id("nobody"), "q", 3), Duration.ofSeconds(30));
        eventually().until(() -> sleeping.size() == 1);
        sleeping.close();

        assertThat(failureOf(failing).failure()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        assertThat(failureOf(failing)).hasMessageContaining("out of coffee");
        assertThat(failureOf(waiting).failure()).isEqualTo(ReplyFailure.UNDELIVERED);
        assertThat(failureOf(nobody).failure()).isEqualTo(ReplyFailure.NO_RECIPIENT);
        assertThat(left.metrics().pendingRequests()).isZero();
    }

    @Test
    void reply_afterTheRequesterTimedOut_goesToItsInboxOnItsNode() throws Exception {
        List<Envelope> held = new CopyOnWriteArrayList<>();
        right.open(id("slow")).attach(held::add);
        List<Object> late = new CopyOnWriteArrayList<>();
        left.open(id("asker")).attach(m -> late.add(m.payload()));

        CompletableFuture<Envelope> reply =
                left.request(Envelope.of(id("asker"), id("slow"), "q", 1), Duration.ofMillis(100));
        assertThat(failureOf(reply).failure()).isEqualTo(ReplyFailure.TIMEOUT);
        eventually().until(() -> held.size() == 1);

        assertThat(right.reply(held.get(0), "too late")).isEqualTo(SendOutcome.DELIVERED);
        eventually().until(() -> late.size() == 1);
        assertThat(late).containsExactly("too late");
    }

    @Test
    void broadcast_acrossNodes_eachMatchingAgentOnce() {
        Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
        for (String agent : List.of("w1", "w2", "boss")) {
            Messenger node = agent.equals("w2") ? left : right;
            InboxOptions options =
                    agent.startsWith("w") ? InboxOptions.defaults().withRoles("worker") : InboxOptions.defaults();
            got.put(agent, new AtomicInteger());
            node.open(id(agent), options).attach(m -> got.get(agent).incrementAndGet());
        }
        left.open(id("w0"), InboxOptions.defaults().withRoles("worker"))
                .attach(m -> got.computeIfAbsent("w0", k -> new AtomicInteger()).incrementAndGet());

        BroadcastResult toWorkers = left.broadcast(Audience.role("worker"), Envelope.of(id("w0"), null, "shift", "x"));
        BroadcastResult toAll = right.broadcast(Audience.everyone(), Envelope.of(id("boss"), null, "news", "y"));
        BroadcastResult byId =
                right.broadcast(Audience.idsMatching("w[12]"), Envelope.of(id("boss"), null, "ids", "z"));

        assertThat(toWorkers).isEqualTo(new BroadcastResult(2, 2));
        assertThat(toAll).isEqualTo(new BroadcastResult(3, 3));
        assertThat(byId).isEqualTo(new BroadcastResult(2, 2));
        eventually()
                .until(() -> got.get("w1").get() == 3
                        && got.get("w2").get() == 3
                        && got.containsKey("w0")
                        && got.get("w0").get() == 1);
        assertThat(got.get("boss")).hasValue(0);
        assertThat(got.get("w1")).hasValue(3);
        assertThat(got.get("w2")).hasValue(3);
    }

    @Test
    void send_toAFullBlockingInboxOnTheOtherNode_waitsForRoomAndKeepsOrder() {
        int count = 300;
        List<Object> got = new CopyOnWriteArrayList<>();
        right.open(id("narrow"), InboxOptions.defaults().withCapacity(2)).attach(m -> {
            Thread.sleep(2); // slower than the sender: its sends find the inbox full
            got.add(m.payload());
        });

        for (int i = 0; i < count; i++) {
            assertThat(left.send(Envelope.of(id("fast"), id("narrow"), "n", i))).isEqualTo(SendOutcome.DELIVERED);
        }

        eventually().until(() -> got.size() == count);
        assertThat(got)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, count).boxed().toList());
        assertThat(left.deadLetters().total()).isZero();
    }

    @Test
    void open_sameAgentOnTheOtherNode_refusedWhileOpen() {
        Inbox first = left.open(id("solo"));

        assertThatThrownBy(() -> right.open(id("solo")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("solo")
                .hasMessageContaining("node");

        first.close();
        assertThat(right.open(id("solo")).id()).isEqualTo(id("solo"));
        assertThat(left.send(Envelope.of(id("x"), id("solo"), "t", 1))).isEqualTo(SendOutcome.DELIVERED);
    }

    static ReplyException failureOf(CompletableFuture<Envelope> reply) throws InterruptedException {
        try {
            Envelope envelope = reply.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + envelope);
        } catch (java.util.concurrent.ExecutionException e) {
            return (ReplyException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not completed in time");
        }
    }
}
