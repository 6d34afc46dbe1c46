package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.state.Task;
import dev.colony.state.TaskStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP endpoint driven by the official TypeScript client ({@code @modelcontextprotocol/sdk}, installed by
 * {@code scripts/mcp-node-env.sh} into {@code target/mcp-node}) on the machine's Node: each scenario of
 * {@code src/test/node/mcp-driver.mjs} runs as a process whose exit code is asserted, and its effects are
 * checked through the Java API.
 */
class McpNodeClientTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Path driver;
    private final ServerFixture f = new ServerFixture();

    @BeforeAll
    static void installClient() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Path dir = module.resolve("target/mcp-node");
        Process install = new ProcessBuilder(
                        "bash", module.resolve("../scripts/mcp-node-env.sh").toString(), dir.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(install.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(install.exitValue()).as(log).isZero();
        driver = dir.resolve("mcp-driver.mjs");
        Files.copy(module.resolve("src/test/node/mcp-driver.mjs"), driver, StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Process start(String scenario, String... args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of("node", driver.toString(), scenario, f.server.uri().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** Runs a scenario to its end; asserts exit code 0 and returns its findings. */
    private JsonNode run(String scenario, String... args) throws Exception {
        Process p = start(scenario, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        System.out.println("[node " + scenario + "] exit " + p.exitValue() + " " + out);
        assertThat(p.exitValue()).as(scenario + " (its stderr says why)").isZero();
        String[] lines = out.split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private Task task(String id) {
        return f.colony.tasks().get("acme_" + id).orElseThrow();
    }

    @Test
    void everyTool_fromTheTypeScriptClient_hasItsEffectInTheColony() throws Exception {
        JsonNode found = run("tools", "admin");

        assertThat(found.path("bytes").asInt()).isLessThan(16 * 1024);
        Task completed = task(found.path("claimed").asString());
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(new String(completed.result(), StandardCharsets.UTF_8)).isEqualTo("{\"lgtm\":true}");
        assertThat(task(found.path("failed").asString()).status()).isEqualTo(TaskStatus.DEAD);
        assertThat(f.colony.memory().get("acme_notes", "plan").orElseThrow().valueAsString())
                .isEqualTo("{\"step\":1}");
        assertThat(f.colony.memory().get("acme_notes", "fenced")).isPresent();
        assertThat(f.colony.registry().get(dev.colony.messaging.AgentId.of("acme_n2")))
                .isPresent();
    }

    @Test
    void connect_withoutToken_is401() throws Exception {
        assertThat(run("unauthorized").path("status").asInt()).isEqualTo(401);
    }

    @Test
    void connect_fromForeignOrigin_is403() throws Exception {
        assertThat(run("origin", "admin").path("status").asInt()).isEqualTo(403);
    }

    @Test
    void join_asAnAgentTheTokenIsNotBoundTo_isAClearToolError() throws Exception {
        JsonNode refused = run("forbidden", "bob");

        assertThat(refused.path("error").asString()).isEqualTo("FORBIDDEN");
        assertThat(f.colony.registry().get(dev.colony.messaging.AgentId.of("acme_eve")))
                .isEmpty();
    }

    @Test
    void twelveClients_ownKeysAndOneCasCounter_loseNoWrite() throws Exception {
        JsonNode found = run("concurrent", "admin", "12", "5");

        for (int i = 0; i < 12; i++) {
            assertThat(f.colony
                            .memory()
                            .get("acme_shared", "agent" + i)
                            .orElseThrow()
                            .valueAsString())
                    .isEqualTo(Integer.toString(i));
        }
        assertThat(f.colony.memory().get("acme_shared", "counter").orElseThrow().valueAsString())
                .isEqualTo("60");
        System.out.println("[cas] conflicts retried: " + found.path("conflicts").asInt());
    }

    @Test
    void eightAgents_500Tasks_oneKilledMidTask_noTaskLostNoneFinishedTwice() throws Exception {
        for (int i = 0; i < 500; i++) {
            assertThat(f.admin
                            .post("/v1/tasks", "{\"id\":\"j" + i + "\",\"type\":\"job\",\"payload\":" + i + "}")
                            .status())
                    .isEqualTo(201);
        }
        Process doomed = start("claim-and-hang", "admin", "doomed");
        String line =
                new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8)).readLine();
        String killedTask = JSON.readTree(line).path("claimed").asString();
        doomed.destroyForcibly().waitFor();
        assertThat(task(killedTask).holder().value()).isEqualTo("acme_doomed");

        run("workers", "admin", "8", "500");

        assertThat(f.colony.tasks().byStatus(TaskStatus.COMPLETED)).hasSize(500);
        Task recovered = task(killedTask);
        assertThat(recovered.attempts()).isEqualTo(2);
        assertThat(new String(recovered.result(), StandardCharsets.UTF_8)).startsWith("{\"by\":\"w");
    }
}
