package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Messenger;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several messages in one SEND_MANY call (ADR 0063): each gets SEND's answer, in order; none lost or doubled. */
class RedisSendBatchTest {
    private static final AgentId BOB = AgentId.of("bob");
    private static RedisServer server;
    private static int swarms;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] message(AgentId to, String text) {
        return new byte[][] {bytes(to.value()), bytes(text), bytes("4"), bytes("")};
    }

    @Test
    void sendMany_mixedRecipients_eachAnsweredAsSendWouldInOrder() {
        RedisTarget target = server.target("batch" + ++swarms);
        try (RedisLink link = RedisLink.open(target);
                Messenger messenger = RedisMessenger.open(link, Messenger.builder());
                StatefulRedisConnection<String, byte[]> connection = link.connectBytes()) {
            messenger.open(BOB); // in the directory, not attached: nothing reads the stream
            String[] keys = {
                target.key("inboxes"), target.key("inbox:bob"), target.key("inbox:nobody"), target.key("inbox:bob")
            };
            List<byte[]> args = new ArrayList<>();
            for (byte[][] m :
                    List.of(message(BOB, "one"), message(AgentId.of("nobody"), "lost"), message(BOB, "two"))) {
                args.addAll(List.of(m));
            }

            List<Object> answers = RedisMessengerScripts.await(
                    RedisMessengerScripts.SEND_MANY.run(connection.async(), keys, args.toArray(new byte[0][])));

            assertThat(answers).hasSize(3);
            List<String> statuses = answers.stream()
                    .map(a -> RedisMessengerScripts.text(((List<?>) a).getFirst()))
                    .toList();
            assertThat(statuses).containsExactly("OK", "NO_SUCH_AGENT", "OK");
            var entries = connection.sync().xrange(target.key("inbox:bob"), io.lettuce.core.Range.create("-", "+"));
            assertThat(entries)
                    .extracting(e -> new String(e.getBody().get("m"), StandardCharsets.UTF_8))
                    .containsExactly("one", "two");
            assertThat(entries)
                    .extracting(io.lettuce.core.StreamMessage::getId)
                    .containsExactly(
                            RedisMessengerScripts.text(((List<?>) answers.get(0)).get(1)),
                            RedisMessengerScripts.text(((List<?>) answers.get(2)).get(1)));
        }
    }

    @Test
    void send_concurrentSenders_everyMessageAnsweredOkAndAppendedOnce() throws Exception {
        RedisTarget target = server.target("batch" + ++swarms);
        int threads = 16;
        int perThread = 50; // 800 messages: below the inbox's default capacity (1,024), as nothing reads it
        try (RedisLink link = RedisLink.open(target);
                Messenger messenger = RedisMessenger.open(link, Messenger.builder());
                StatefulRedisConnection<String, byte[]> connection = link.connectBytes()) {
            messenger.open(BOB);
            RedisSendBatch batch = new RedisSendBatch(connection.async(), target.key("inboxes"));
            AtomicInteger ok = new AtomicInteger();
            Thread[] senders = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                senders[t] = Thread.ofVirtual().start(() -> {
                    for (int i = first; i < first + perThread; i++) {
                        CompletionStage<List<Object>> answer =
                                batch.send(target.key("inbox:bob"), message(BOB, Integer.toString(i)));
                        if ("OK".equals(RedisMessengerScripts.status(RedisMessengerScripts.await(answer)))) {
                            ok.incrementAndGet();
                        }
                    }
                });
            }
            for (Thread sender : senders) {
                sender.join();
            }

            assertThat(ok.get()).isEqualTo(threads * perThread);
            var entries = connection.sync().xrange(target.key("inbox:bob"), io.lettuce.core.Range.create("-", "+"));
            assertThat(entries).hasSize(threads * perThread);
            var seen = ConcurrentHashMap.<String>newKeySet();
            entries.forEach(e -> seen.add(new String(e.getBody().get("m"), StandardCharsets.UTF_8)));
            assertThat(seen).hasSize(threads * perThread);
        }
    }
}
