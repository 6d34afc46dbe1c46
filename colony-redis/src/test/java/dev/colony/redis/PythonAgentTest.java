package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.bus.Event;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentStatus;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent in Python ({@code src/test/python/colony_agent.py}, Debian's python3-redis) takes part in a swarm
 * through the protocol alone: the Functions library by FCALL and plain commands. It registers, claims and
 * completes a task a Java node submitted, publishes a bus event, sends an at-least-once message, opens an
 * inbox, receives, acknowledges and answers; every effect is checked from the Java side.
 *
 * <p>Skipped, saying so, only when no {@code python3} is installed; a python3 without the {@code redis} module
 * fails (scripts/redis-env.sh installs python3-redis).
 */
class PythonAgentTest {
    private static final Path SCRIPT = Path.of("src/test/python/colony_agent.py");
    private static RedisServer server;
    private static String python;

    @BeforeAll
    static void start() throws Exception {
        python = python3();
        Assumptions.assumeTrue(
                python != null, "SKIPPED: no python3 installed (neither /usr/bin/python3 nor python3 on the PATH)");
        Process probe = new ProcessBuilder(python, "-c", "import redis")
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue())
                .as(python + " cannot import redis (run scripts/redis-env.sh, or apt-get install python3-redis): "
                        + output)
                .isZero();
        server = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pythonAgent_throughFunctionsAndCommands_registersClaimsCompletesPublishesAndMessages() throws Exception {
        assertThat(Files.isRegularFile(SCRIPT))
                .as("runs in the colony-redis module directory")
                .isTrue();
        try (Colony colony = server.colony("py").build()) {
            List<Event> events = new CopyOnWriteArrayList<>();
            colony.bus().subscribe("py.>", events::add);
            List<Envelope> messages = new CopyOnWriteArrayList<>();
            colony.messenger().open(AgentId.of("java")).attach(messages::add);
            colony.tasks().submit(TaskSpec.of("t1", "work", "input".getBytes(StandardCharsets.UTF_8)));

            Process agent = new ProcessBuilder(
                            python, SCRIPT.toString(), "127.0.0.1", Integer.toString(server.port()), "py")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !agent.isAlive()
                            || server.command("HEXISTS colony:{py}:inboxes py").equals(":1"));
            if (agent.isAlive()) {
                assertThat(colony.messenger()
                                .send(Envelope.of(AgentId.of("java"), AgentId.of("py"), "java.ask", Map.of("n", 21))))
                        .isEqualTo(SendOutcome.DELIVERED);
            }
            String output = output(agent);
            assertThat(agent.exitValue()).as(output).isZero();

            Task task = colony.tasks().get("t1").orElseThrow();
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(new String(task.result(), StandardCharsets.UTF_8)).isEqualTo("done by python: input");
            assertThat(colony.registry().get(AgentId.of("py")).orElseThrow().status())
                    .isEqualTo(AgentStatus.STARTING);
            await().atMost(Duration.ofSeconds(30)).until(() -> events.size() == 1 && messages.size() == 2);
            assertThat(events.getFirst().subject().value()).isEqualTo("py.done");
            assertThat(events.getFirst().priority()).isEqualTo(6);
            assertThat(events.getFirst().payload()).isEqualTo(Map.of("task", "t1", "result", "done by python: input"));
            assertThat(messages).extracting(Envelope::type).containsExactly("py.hello", "py.answer");
            assertThat(messages.getFirst().priority()).isEqualTo(6);
            assertThat(messages.getFirst().source()).isEqualTo(AgentId.of("py"));
            assertThat(messages.get(1).payload()).isEqualTo(Map.of("doubled", 42));
            assertThat(server.command("HEXISTS colony:{py}:inboxes py")).isEqualTo(":0");
        }
    }

    private static String output(Process process) throws IOException, InterruptedException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("the python agent ended: " + output)
                .isTrue();
        System.out.println("[python agent] " + output.strip());
        return output;
    }

    /** Debian's python3 (where apt puts python3-redis), else the first python3 on the PATH, else null. */
    private static String python3() {
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return "/usr/bin/python3";
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "python3"))) {
                return Path.of(dir, "python3").toString();
            }
        }
        return null;
    }
}
