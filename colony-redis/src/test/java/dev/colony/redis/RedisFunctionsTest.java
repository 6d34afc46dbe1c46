package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentStatus;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis Functions library {@code colony}: loaded by a Java node, named and versioned, and enough for a
 * client that knows only FCALL (played here by a plain Lettuce connection) to register, claim and complete.
 */
class RedisFunctionsTest {
    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> raw;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
        client = RedisClient.create(server.uri());
        raw = client.connect();
    }

    @AfterAll
    static void stop() {
        raw.close();
        client.shutdown();
        server.close();
    }

    private static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    @Test
    void open_loadsTheNamedVersionedLibrary() {
        try (Colony colony = server.colony("fn-load").build()) {
            assertThat(colony.state().revision()).isZero();
        }
        RedisCommands<String, String> redis = raw.sync();
        assertThat(redis.<String>fcallReadOnly("colony_version", ScriptOutputType.VALUE, new String[0]))
                .isEqualTo(RedisFunctions.VERSION)
                .startsWith(RedisLayout.VERSION + ".");
        assertThat(redis.functionList("colony").toString())
                .contains("colony_task_claim", "colony_task_offer", "colony_task_give", "colony_state_sweep");
    }

    @Test
    void foreignAgent_throughFcallOnly_registersClaimsAndCompletes() {
        try (Colony colony = server.colony("fn-agent").build()) {
            colony.tasks().submit(TaskSpec.of("t1", "work", "input".getBytes(StandardCharsets.UTF_8)));
            RedisCommands<String, String> redis = raw.sync();
            String[] s = {"colony:{fn-agent}:s:"};

            redis.fcall("colony_agent_register", ScriptOutputType.MULTI, s, now(), "py", "worker", "", "{}", "10000");
            List<Object> claimed = redis.fcall("colony_task_claim", ScriptOutputType.MULTI, s, now(), "py", "30000");
            String token = redis.hget(s[0] + "task:t1", "token");
            List<Object> completed = redis.fcall(
                    "colony_task_complete", ScriptOutputType.MULTI, s, now(), "t1", token, "the result", "", "");

            assertThat(claimed.getFirst().toString()).contains("CLAIMED");
            assertThat(completed.getFirst()).isEqualTo("OK");
            Task task = colony.tasks().get("t1").orElseThrow();
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(new String(task.result(), StandardCharsets.UTF_8)).isEqualTo("the result");
            assertThat(colony.registry().get(AgentId.of("py")).orElseThrow().status())
                    .isEqualTo(AgentStatus.STARTING);
        }
    }

    @Test
    void call_afterTheServerLostItsFunctions_runsByEvalshaAndLoadsTheLibraryAgain() {
        try (Colony colony = server.colony("fn-flush").build()) {
            colony.tasks().submit(TaskSpec.of("t1", "work", new byte[] {1}));
            assertThat(raw.sync().functionFlush(io.lettuce.core.FlushMode.SYNC)).isEqualTo("OK");

            colony.tasks().submit(TaskSpec.of("t2", "work", new byte[] {2}));
            colony.tasks().submit(TaskSpec.of("t3", "work", new byte[] {3}));

            assertThat(colony.tasks().count(TaskStatus.QUEUED)).isEqualTo(3);
            assertThat(raw.sync().<String>fcallReadOnly("colony_version", ScriptOutputType.VALUE, new String[0]))
                    .isEqualTo(RedisFunctions.VERSION);
        }
    }

    @Test
    void library_holdsTheMessengersScriptsByName() {
        try (Colony colony = server.colony("fn-msg").build()) {
            assertThat(colony.state().revision()).isZero();
        }
        String functions = raw.sync().functionList("colony").toString();
        for (RedisMessengerScripts script : RedisMessengerScripts.values()) {
            assertThat(functions).contains(RedisFunctions.function(script));
        }
        assertThat(RedisFunctions.function(RedisMessengerScripts.SEND)).isEqualTo("colony_msg_send");
    }

    @Test
    void open_otherLibraryVersion_replacedByThisOne() {
        raw.sync()
                .functionLoad(
                        "#!lua name=colony\nredis.register_function{function_name='colony_version',"
                                + " flags={'no-writes'}, callback=function() return '1.old' end}",
                        true);
        try (Colony colony = server.colony("fn-replace").build()) {
            assertThat(colony.state().revision()).isZero();
        }
        assertThat(raw.sync().<String>fcallReadOnly("colony_version", ScriptOutputType.VALUE, new String[0]))
                .isEqualTo(RedisFunctions.VERSION);
    }

    @Test
    void open_userWithoutFunctionRights_stillWorksOnEvalsha() {
        server.command("ACL SETUSER nofn on >nofnpw ~* &* +@all -function");
        try (Colony colony = Colony.builder()
                .redis("redis://nofn:nofnpw@127.0.0.1:" + server.port())
                .swarm("fn-limited")
                .build()) {
            colony.tasks().submit(TaskSpec.of("t1", "work", new byte[] {1}));
            assertThat(colony.tasks().count(TaskStatus.QUEUED)).isOne();

            // assignment by a chooser: task_offer and task_give by EVALSHA
            colony.tasks().submit(TaskSpec.of("t2", "work", new byte[] {2}).withPriority(9));
            colony.registry().register(AgentId.of("a"), "worker", java.util.Set.of(), java.util.Map.of());
            colony.registry().register(AgentId.of("b"), "worker", java.util.Set.of(), java.util.Map.of());
            colony.registry().transition(AgentId.of("a"), AgentStatus.IDLE);
            colony.registry().transition(AgentId.of("b"), AgentStatus.IDLE);
            var lease = colony.tasks()
                    .assign(
                            (task, candidates) ->
                                    java.util.Optional.of(candidates.getLast().id()),
                            java.time.Duration.ofSeconds(30),
                            null)
                    .orElseThrow();
            assertThat(lease.taskId()).isEqualTo("t2");
            assertThat(lease.holder()).isEqualTo(AgentId.of("b"));
        }
    }
}
