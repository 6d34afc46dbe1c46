package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.agent.AgentSpec;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.state.Lease;
import dev.colony.state.TaskSpec;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No key without a TTL left behind: after a demo-like run (agents with inboxes, requests, events, tasks, a
 * leader, memory) closes, the only keys without a TTL are the swarm's state and layout (the bus and the
 * messenger leave none), and dropping the swarm leaves no key at all (ADR 0035).
 */
class RedisHygieneTest {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void demoLikeRun_thenDrop_leavesNoKeyWithoutTtl() throws Exception {
        try (Colony colony = redis.server().colony("hygiene").build()) {
            for (int i = 0; i < 3; i++) {
                colony.spawn(
                        AgentSpec.of(AgentId.of("agent-" + i), "worker"), (ctx, message) -> ctx.reply(message, "pong"));
            }
            Envelope ping = Envelope.of(AgentId.of("client"), AgentId.of("agent-1"), "ping", "ping");
            assertThat(colony.messenger()
                            .request(ping, Duration.ofSeconds(30))
                            .get(60, TimeUnit.SECONDS)
                            .payload())
                    .isEqualTo("pong");
            colony.bus().publish("demo.events", "hello");
            for (int i = 0; i < 20; i++) {
                colony.tasks().submit(TaskSpec.of("t" + i, "work", new byte[] {(byte) i}));
                Lease lease = colony.tasks()
                        .claim(AgentId.of("agent-0"), Set.of(), Duration.ofSeconds(30))
                        .orElseThrow();
                colony.tasks().complete(lease, new byte[] {1});
            }
            colony.leaders().campaign("coordinator", AgentId.of("agent-2"), Duration.ofSeconds(5));
            colony.memory().put("ns", "k", new byte[] {1});
        }
        List<String> withoutTtl = keysWithoutTtl();
        assertThat(withoutTtl)
                .isNotEmpty()
                .allSatisfy(key -> assertThat(key).matches("colony:\\{hygiene\\}:(s:.*|layout)"));

        long deleted =
                Colony.builder().redis(redis.server().uri()).swarm("hygiene").drop(false);

        assertThat(deleted).isGreaterThanOrEqualTo(withoutTtl.size());
        assertThat(keysWithoutTtl()).isEmpty();
        assertThat(redis.server().command("KEYS colony:{hygiene}:*")).isEqualTo("*0");
    }

    /** Every key of the server whose TTL is -1 (no expiry), by SCAN. */
    private static List<String> keysWithoutTtl() {
        RedisClient client = RedisClient.create(redis.server().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> found = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = connection.sync().scan(cursor, ScanArgs.Builder.limit(1000));
                for (String key : page.getKeys()) {
                    if (connection.sync().ttl(key) == -1) {
                        found.add(key);
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
            return found;
        } finally {
            client.shutdown();
        }
    }
}
