package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.colony.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code colony bench --redis}: the Redis scenarios between two nodes of a real Redis, every count checked. */
class BenchRedisTest {
    static final List<String> SCENARIOS = List.of("redis-bus", "redis-messenger", "redis-tasks", "redis-tasks-batched");
    static final int SIZE = 300;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void bench_redis_everyCountVerifiedAndReportsWritten(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("run.json");
        Path md = dir.resolve("report.md");
        Path html = dir.resolve("report.html");
        Captured result = capture(
                "bench",
                "--redis",
                redis.server().uri() + "/bt",
                "--quick",
                "--warmup",
                "0",
                "--iterations",
                "2",
                "--redis-size",
                String.valueOf(SIZE),
                "--json",
                json.toString(),
                "--markdown",
                md.toString(),
                "--html",
                html.toString());

        // pass also needs throughput targets, which a test on a shared machine may miss: counts are asserted
        assertThat(result.code()).as(result.out() + result.err()).isIn(0, 1);
        assertThat(result.out())
                .contains("backend redis (node B: two-jvms)")
                .contains("redis-bus")
                .contains("redis-tasks");
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        assertThat(root.get("backend").asString()).isEqualTo("redis");
        JsonNode scenarios = root.get("scenarios");
        assertThat(scenarios).hasSize(SCENARIOS.size());
        for (int i = 0; i < SCENARIOS.size(); i++) {
            JsonNode s = scenarios.get(i);
            String name = SCENARIOS.get(i);
            assertThat(s.get("name").asString()).isEqualTo(name);
            assertThat(s.get("operations").asLong()).as(name).isEqualTo(SIZE);
            assertThat(s.get("iterations").asInt()).as(name).isEqualTo(2);
            assertThat(s.get("verified").get("expected").asLong()).as(name).isEqualTo(2L * SIZE);
            assertThat(s.get("verified").get("observed").asLong()).as(name).isEqualTo(2L * SIZE);
            assertThat(s.get("throughput_per_sec").asDouble()).as(name).isPositive();
            assertThat(s.get("latency_us").get("p50").asDouble()).as(name).isPositive();
            assertThat(s.get("per_iteration").get("throughput_per_sec"))
                    .as(name)
                    .hasSize(2);
            JsonNode details = s.get("details");
            // one shared two-node fixture: every scenario ran on the same fresh swarm
            assertThat(details.get("swarm").asString())
                    .as(name)
                    .isEqualTo(scenarios.get(0).get("details").get("swarm").asString());
            assertThat(details.get("swarm").asString()).as(name).startsWith("bt-bench-");
            assertThat(details.get("iterations_timed_out").asLong()).as(name).isZero();
            // node B in a child JVM by default (ADR 0058)
            assertThat(details.get("nodes").asString()).as(name).isEqualTo("two-jvms");
            assertThat(details.get("mode").asString()).as(name).contains("child JVM");
            boolean targetMet = s.get("throughput_per_sec").asDouble()
                    >= s.get("target").get("min").asDouble();
            JsonNode baseline = s.get("baseline");
            if (baseline == null || baseline.isNull()) {
                assertThat(details.get("baseline").asString()).as(name).contains("redis-benchmark");
            } else {
                assertThat(baseline.get("what").asString()).as(name).contains("redis-benchmark's own count");
                assertThat(baseline.get("throughput_per_sec").asDouble())
                        .as(name)
                        .isPositive();
                assertThat(baseline.get("throughput_per_iteration")).as(name).hasSize(2);
                double ratio = s.get("throughput_per_sec").asDouble()
                        / baseline.get("throughput_per_sec").asDouble();
                // the report rounds the ratio to three decimals
                assertThat(baseline.get("ratio").asDouble())
                        .as(name)
                        .isCloseTo(ratio, within(Math.max(0.0006, ratio / 100)));
            }
            if (name.startsWith("redis-tasks")) {
                JsonNode leader = details.get("leader_failover");
                assertThat(details.get("completed_twice").asLong()).isZero();
                assertThat(leader.get("failed_failovers").asLong()).isZero();
                assertThat(leader.get("failover_ms_per_iteration")).hasSize(2);
                // a failover cannot happen before the lease of A's last renewal ended
                assertThat(leader.get("failover_ms_median").asDouble()).isGreaterThanOrEqualTo(1000);
                // the failover's speed is a goal (Goals), not part of pass; a failed failover is
                assertThat(leader.has("goal_met")).isFalse();
                assertThat(s.get("pass").asBoolean()).isEqualTo(targetMet);
            } else {
                assertThat(details.get("duplicates").asLong()).as(name).isZero();
                assertThat(s.get("pass").asBoolean()).as(name).isEqualTo(targetMet);
            }
            if (!details.get("keys_deleted").asString().startsWith("no")) {
                assertThat(redis.server()
                                .command("KEYS colony:{" + details.get("swarm").asString() + "}:*"))
                        .as(name)
                        .isEqualTo("*0");
            }
        }
        assertThat(Files.readString(md)).contains("## `redis-messenger`").contains("backend redis");
        assertThat(Files.readString(html)).contains("redis-tasks");
    }

    @Test
    void bench_redisList_namesTheRedisScenarios() {
        Captured result = capture("bench", "--list", "--redis", "x");
        assertThat(result.code()).isZero();
        SCENARIOS.forEach(name -> assertThat(result.out()).contains(name));
        assertThat(result.out()).doesNotContain("event-bus-concurrent");
    }

    @Test
    void bench_badRedisUri_isAUsageError() {
        Captured result = capture("bench", "--redis", "http://nope/x");
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("redis://host:port/swarm").contains("http://nope/x");
    }

    @Test
    void bench_badRedisNodes_isAUsageError() {
        Captured result = capture("bench", "--redis", redis.server().uri() + "/bt", "--redis-nodes", "three-jvms");
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("--redis-nodes must be one-jvm or two-jvms, got 'three-jvms'");
    }

    @Test
    void bench_redisNodesWithoutRedis_isAUsageError() {
        Captured result = capture("bench", "--redis-nodes", "one-jvm");
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("--redis-nodes needs --redis");
    }

    @Test
    void bench_unknownRedisScenario_isAUsageError() {
        Captured result = capture("bench", "--redis", redis.server().uri() + "/bt", "--scenario", "event-bus");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("unknown scenario 'event-bus'").contains("redis-bus");
    }
}
