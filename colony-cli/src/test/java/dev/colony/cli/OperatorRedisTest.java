package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.redis.RedisServer;
import dev.colony.state.TaskSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code colony agents|tasks|leaders --redis}: the same tables and JSON, read straight from a swarm in Redis. */
class OperatorRedisTest {
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
        try (Colony colony = Colony.builder().redis(server.uri()).swarm("ops").build()) {
            colony.tasks().submit(TaskSpec.of("rt1", "render", new byte[] {1}));
            colony.registry().register(AgentId.of("rw1"), "renderer", Set.of("gpu"), Map.of());
            colony.leaders().campaign("rgroup", AgentId.of("rw1"), Duration.ofMinutes(5));
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Captured run(String... args) {
        Captured result = capture(args);
        assertThat(result.code()).as(result.err()).isZero();
        return result;
    }

    @Test
    void tasksAgentsLeaders_redisSwarm_readDirectly() {
        String uri = server.uri();
        assertThat(run("tasks", "--redis", uri, "--swarm", "ops").out()).contains("rt1", "render", "QUEUED");
        JsonNode task = ServerClient.JSON.readTree(
                run("tasks", "rt1", "--redis", uri, "--swarm", "ops", "--json").out());
        assertThat(task.path("type").asString()).isEqualTo("render");
        assertThat(run("agents", "--redis", uri, "--swarm", "ops").out()).contains("rw1", "renderer", "gpu");
        assertThat(run("leaders", "rgroup", "nobody", "--redis", uri, "--swarm", "ops")
                        .out())
                .contains("rw1")
                .contains("(none)");
        assertThat(run("tasks", "--redis", uri, "--swarm", "empty").out()).contains("no QUEUED tasks");
    }

    @Test
    void tasks_redisBadInput_failsWithOneLine() {
        Captured missing = capture("tasks", "nope", "--redis", server.uri(), "--swarm", "ops");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("colony tasks: NO_SUCH_TASK: no task \"nope\" in swarm ops");

        Captured password = capture("tasks", "--redis", "redis://:pw-s3cret@127.0.0.1:1", "--swarm", "ops");
        assertThat(password.code()).isEqualTo(2);
        assertThat(password.err()).contains("--redis must not hold a password").doesNotContain("pw-s3cret");

        Captured swarm = capture("agents", "--redis", server.uri(), "--swarm", "bad swarm!");
        assertThat(swarm.code()).isEqualTo(2);
        assertThat(swarm.err()).contains("--swarm");
    }
}
