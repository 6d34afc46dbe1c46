package dev.colony.redis;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.OverflowPolicy;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node's direct sends joined into SEND_MANY calls (ADR 0077): every message once, each thread's messages in
 * call order, exact call counts when the sends wait behind unanswered calls, one message's script error failing
 * that message alone, and SEND_MANY's refusal of malformed arguments (it is part of the protocol).
 */
class RedisSendBatchesTest {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static final AgentId BOB = AgentId.of("bob");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private String swarm;

    @BeforeEach
    void newSwarm() {
        swarm = "batches" + SWARMS.incrementAndGet();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private RedisMessenger node() {
        RedisLink link = RedisLink.open(redis.server().target(swarm));
        RedisMessenger messenger =
                RedisMessenger.open(link, Messenger.builder(), link.settings().messenger());
        resources.add(link);
        resources.add(0, messenger); // messengers close before their links
        return messenger;
    }

    private static Envelope message(String from, AgentId to, Object payload) {
        return Envelope.of(AgentId.of(from), to, "test.message", payload);
    }

    @Test
    void sendAsync_eightThreadsOf500InFlight_everyMessageOnceInEachThreadsCallOrder() throws Exception {
        RedisMessenger sender = node();
        RedisMessenger receiver = node();
        Map<String, List<Integer>> received = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        receiver.open(BOB, InboxOptions.defaults().withCapacity(100_000)).attach(m -> {
            String[] parts = ((String) m.payload()).split("-");
            received.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>())
                    .add(Integer.parseInt(parts[1]));
            total.incrementAndGet();
        });
        int threads = 8;
        int each = 500;
        long callsBefore = sender.sender().lanes().batches().calls();
        long messagesBefore = sender.sender().lanes().batches().messages();
        List<Thread> senders = new ArrayList<>();
        AtomicInteger notDelivered = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            String name = "t" + t;
            senders.add(Thread.ofVirtual().start(() -> {
                List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    outcomes.add(sender.sendAsync(message("alice", BOB, name + "-" + i)));
                }
                outcomes.forEach(f -> {
                    if (f.join() != SendOutcome.DELIVERED) {
                        notDelivered.incrementAndGet();
                    }
                });
            }));
        }
        for (Thread thread : senders) {
            thread.join();
        }

        eventually().until(() -> total.get() >= threads * each);
        assertThat(notDelivered).hasValue(0);
        assertThat(total).hasValue(threads * each);
        assertThat(received).hasSize(threads);
        received.forEach((name, order) -> assertThat(order)
                .as(name)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, each).boxed().toList()));
        assertThat(sender.sender().lanes().batches().messages() - messagesBefore)
                .isEqualTo((long) threads * each);
        assertThat(sender.sender().lanes().batches().calls() - callsBefore).isBetween(1L, (long) threads * each);
        assertThat(sender.deadLetters().size()).isZero();
    }

    @Test
    void sendAsync_200WhileRedisIsPaused_fourLoneCallsThenFourBatchesOf64AtMost_inOrder() {
        RedisMessenger sender = node();
        RedisMessenger receiver = node();
        List<Object> received = new CopyOnWriteArrayList<>();
        receiver.open(BOB, InboxOptions.defaults().withCapacity(10_000)).attach(m -> received.add(m.payload()));
        RedisSendBatches batches = sender.sender().lanes().batches();
        long calls = batches.calls();
        int count = 200;
        List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
        redis.server().pause();
        try {
            for (int i = 0; i < count; i++) {
                outcomes.add(sender.sendAsync(message("alice", BOB, i)));
            }
            // the first WINDOW went alone; the other 196 wait for an answer
            assertThat(batches.calls() - calls).isEqualTo(RedisSendBatches.WINDOW);
        } finally {
            redis.server().resume();
        }

        assertThat(outcomes).allSatisfy(f -> assertThat(f.join()).isEqualTo(SendOutcome.DELIVERED));
        eventually().until(() -> received.size() >= count);
        // 196 waiting = 64 + 64 + 64 + 4: each freed call writes the next batch
        assertThat(batches.calls() - calls).isEqualTo(RedisSendBatches.WINDOW + 4);
        assertThat(received)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count)
                        .boxed()
                        .map(i -> (Object) i)
                        .toList());
    }

    @Test
    void sendAsync_oneRecipientsStreamBroken_onlyItsMessagesRejectedWithDeadLetters_theOthersDelivered() {
        RedisMessenger sender = node();
        RedisMessenger receiver = node();
        List<Object> received = new CopyOnWriteArrayList<>();
        receiver.open(BOB, InboxOptions.defaults().withCapacity(10_000)).attach(m -> received.add(m.payload()));
        AgentId carol = AgentId.of("carol"); // in the directory, but her stream key holds a string: XADD fails
        try (RedisLink link = RedisLink.open(redis.server().target(swarm));
                RedisLinkConnection<String, String> raw = link.connectStrings()) {
            raw.sync()
                    .hset(
                            sender.key("inboxes"),
                            "carol",
                            "{\"node\":\"n-000000000000\",\"roles\":[],\"capacity\":100,\"overflow\":\"FAIL\"}");
            raw.sync().set(sender.stream(carol), "not a stream");
        }
        int count = 300;
        List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
        redis.server().pause(); // so that the messages travel in batches mixing both recipients
        try {
            for (int i = 0; i < count; i++) {
                outcomes.add(sender.sendAsync(message("alice", i % 3 == 0 ? carol : BOB, i)));
            }
        } finally {
            redis.server().resume();
        }

        List<Integer> toBob = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SendOutcome outcome = outcomes.get(i).join();
            if (i % 3 == 0) {
                assertThat(outcome).as("to carol, %d", i).isEqualTo(SendOutcome.REJECTED);
            } else {
                assertThat(outcome).as("to bob, %d", i).isEqualTo(SendOutcome.DELIVERED);
                toBob.add(i);
            }
        }
        eventually().until(() -> received.size() >= toBob.size());
        assertThat(received)
                .containsExactlyElementsOf(toBob.stream().map(i -> (Object) i).toList());
        List<DeadLetter> dead = sender.deadLetters().drain();
        assertThat(dead).hasSize(count / 3).allSatisfy(d -> {
            assertThat(d.reason()).isEqualTo(DeadLetter.Reason.REJECTED);
            assertThat(d.detail()).contains("WRONGTYPE");
        });
        assertThat(sender.sender().lanes().batches().calls()).isLessThan(count);
    }

    @Test
    void sendMany_malformedArguments_refusedWithAnErrorNamingIt_andNothingAppended() {
        RedisMessenger node = node();
        node.open(BOB, InboxOptions.defaults().withCapacity(10).withOverflow(OverflowPolicy.FAIL));
        try (RedisLink link = RedisLink.open(redis.server().target(swarm));
                RedisLinkConnection<String, String> raw = link.connectStrings()) {
            String source = RedisMessengerScripts.SEND_MANY.source();
            String[] keys = {node.key("inboxes"), node.stream(BOB)};
            // a key count of 4, then one too few arguments
            assertThatThrownBy(() -> raw.sync()
                            .eval(source, ScriptOutputType.MULTI, keys, "4", "bob", "m", "4", "", "", "1", "", ""))
                    .hasMessageContaining("SEND_MANY: bad key count or too few arguments at ARGV[1]");
            assertThatThrownBy(() -> raw.sync().eval(source, ScriptOutputType.MULTI, keys, "1", "bob", "m", "4"))
                    .hasMessageContaining("SEND_MANY: bad key count or too few arguments at ARGV[1]");
            assertThat(raw.sync().xlen(node.stream(BOB))).isZero();

            // well formed: two messages, the second to an agent nobody has: one answer each, in order
            String[] two = {node.key("inboxes"), node.stream(BOB), node.stream(AgentId.of("nobody"))};
            List<Object> answers = raw.sync()
                    .eval(
                            source,
                            ScriptOutputType.MULTI,
                            two,
                            "1",
                            "bob",
                            "{\"data\":1}",
                            "4",
                            "",
                            "",
                            "1",
                            "",
                            "",
                            "1",
                            "nobody",
                            "{\"data\":2}",
                            "4",
                            "",
                            "",
                            "1",
                            "",
                            "");
            assertThat(answers).hasSize(2);
            assertThat(((List<?>) answers.get(0)).getFirst()).isEqualTo("OK");
            assertThat(answers.get(1)).isEqualTo(List.of("NO_SUCH_AGENT"));
            assertThat(raw.sync().xlen(node.stream(BOB))).isEqualTo(1);
        }
    }
}
