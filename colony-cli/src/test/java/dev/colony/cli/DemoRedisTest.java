package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code colony demo --redis}: the same demo, every invariant checked, with the colony in a real Redis. */
class DemoRedisTest {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void demo_inRedis_holdsEveryInvariant(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("demo.json");
        Captured result = capture(
                "demo",
                "--redis",
                redis.server().uri(),
                "--swarm",
                "demo-test",
                "--agents",
                "10",
                "--tasks",
                "100",
                "--quiet",
                "--json",
                json.toString());

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        assertThat(root.get("ok").asBoolean()).isTrue();
        root.get("invariants")
                .properties()
                .forEach(invariant -> assertThat(invariant.getValue().asBoolean())
                        .as(invariant.getKey())
                        .isTrue());
        assertThat(root.get("tasks_done").asInt()).isEqualTo(100);
        assertThat(root.get("workers_killed").asInt()).isEqualTo(1);
        // one failover is staged; the Redis leases make a second unlikely on an idle machine, not impossible
        // on a loaded one, so the count is not asserted exactly
        assertThat(root.get("failovers").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(root.get("late_writes_refused").asInt()).isEqualTo(1);
        // the demo drops the swarm it ran in: nothing is left behind, so no key without a TTL either
        assertThat(redis.server().command("KEYS colony:{demo-test}:*")).isEqualTo("*0");
    }

    @Test
    void demo_inASwarmThatHoldsState_isAUsageError() {
        assertThat(capture(
                                "demo",
                                "--redis",
                                redis.server().uri(),
                                "--swarm",
                                "reused",
                                "--keep",
                                "--agents",
                                "2",
                                "--tasks",
                                "5",
                                "--quiet")
                        .code())
                .isZero();
        assertThat(redis.server().command("EXISTS colony:{reused}:s:rev")).isEqualTo(":1");
        Captured again = capture(
                "demo",
                "--redis",
                redis.server().uri(),
                "--swarm",
                "reused",
                "--agents",
                "2",
                "--tasks",
                "5",
                "--quiet");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already holds state").contains("reused");
    }

    @Test
    void demo_oldUriWithTheSwarmAsPath_isAUsageErrorNamingSwarmOption() {
        Captured result = capture("demo", "--redis", redis.server().uri() + "/my-swarm", "--quiet");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("'/my-swarm'").contains("--swarm my-swarm");
    }

    @Test
    void demo_badRedisUri_isAUsageError() {
        Captured result = capture("demo", "--redis", "http://nope/x");
        assertThat(result.code()).as(result.err()).isNotZero();
        assertThat(result.err()).contains("redis://");
    }

    @Test
    void demo_unreachableRedis_isOneClearLine() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Captured result =
                capture("demo", "--redis", "redis://127.0.0.1:" + closedPort, "--swarm", "nowhere", "--quiet");
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("cannot reach Redis at redis://127.0.0.1:" + closedPort + " swarm nowhere");
        assertThat(result.err()).doesNotContain("\tat ");
    }
}
