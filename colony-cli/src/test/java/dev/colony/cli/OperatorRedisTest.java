package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.redis.RedisServer;
import dev.colony.state.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code colony agents|tasks|leaders --redis}: the same tables and JSON, read straight from a swarm in Redis; and
 * every operator command's {@code --redis} refusing bad input with a usage error before anything connects.
 */
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

    /** Every operator command that takes {@code --redis}, with valid arguments. */
    static Stream<List<String>> commands() {
        return Stream.of(
                List.of("agents"),
                List.of("tasks"),
                List.of("leaders", "g"),
                List.of("memory", "get", "ns", "k"),
                List.of("memory", "put", "ns", "k", "1"),
                List.of("memory", "del", "ns", "k"),
                List.of("tail", "x.>", "--count", "1"),
                List.of("pub", "x.y", "1"),
                List.of("send", "w1", "pause", "1"));
    }

    private static Captured run(List<String> command, String... options) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(options));
        return capture(all.toArray(String[]::new));
    }

    /** A usage error: exit code 2, the message on one line, then where to read more; the swarm untouched. */
    private static void usageError(Captured result, String... fragments) {
        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(2);
        List<String> lines = result.err().strip().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).contains(fragments);
        assertThat(lines.get(1)).startsWith("see `colony ");
        assertThat(server.command("KEYS colony:{untouched}:*")).isEqualTo("*0");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void anyCommand_badRedisOptions_usageErrorAndNothingInRedis(List<String> command, @TempDir Path dir) {
        String uri = server.uri();
        usageError(run(command, "--redis", "http://127.0.0.1:6379", "--swarm", "untouched"), "--redis", "redis://");
        usageError(run(command, "--redis", uri + "/untouched", "--swarm", "untouched"), "--swarm untouched instead");
        usageError(run(command, "--redis", uri, "--swarm", "bad swarm!"), "--swarm must be 1 to 64");
        Captured password =
                run(command, "--redis", "redis://:pw-s3cret@127.0.0.1:" + server.port(), "--swarm", "untouched");
        usageError(password, "--redis must not hold a password", "--password-file");
        assertThat(password.err()).doesNotContain("pw-s3cret");
        usageError(
                run(
                        command,
                        "--redis",
                        uri,
                        "--swarm",
                        "untouched",
                        "--password-file",
                        dir.resolve("missing").toString()),
                "--password-file",
                "cannot be read");
        usageError(
                run(command, "--redis", uri, "--swarm", "untouched", "--url", "http://127.0.0.1:7070"),
                "--url and --redis");
        // without --redis these would be ignored and the command would go to a server instead
        usageError(run(command, "--swarm", "untouched", "--url", "http://127.0.0.1:1"), "--swarm goes with --redis");
        usageError(
                run(command, "--password-file", dir.resolve("missing").toString(), "--url", "http://127.0.0.1:1"),
                "--password-file goes with --redis");
    }

    @Test
    void namesAndValues_badForTheSwarm_usageErrorBeforeConnecting() {
        String[] redis = {"--redis", server.uri(), "--swarm", "untouched"};
        usageError(run(List.of("pub", "bad..subject", "1"), redis), "bad..subject");
        usageError(run(List.of("pub", "x.y", "{broken"), redis), "JSON must be JSON");
        usageError(run(List.of("tail", "a..b"), redis), "a..b");
        usageError(run(List.of("tail", "a.>", "--last-event-id", "7"), redis), "--last-event-id goes with --url");
        usageError(run(List.of("send", "bad id!", "pause", "1"), redis), "invalid agent id \"bad id!\"");
        usageError(run(List.of("send", "--from", "", "w1", "pause", "1"), redis), "invalid agent id \"\"");
        usageError(run(List.of("memory", "get", "bad ns", "k"), redis), "invalid namespace \"bad ns\"");
        usageError(run(List.of("memory", "put", "ns", "k", "1", "--ttl", "soon"), redis), "invalid --ttl \"soon\"");
        usageError(run(List.of("memory", "del", "ns", ""), redis), "invalid key");
        usageError(run(List.of("leaders", "bad group"), redis), "invalid group \"bad group\"");
        usageError(run(List.of("tasks", "bad id"), redis), "invalid task id \"bad id\"");
    }
}
