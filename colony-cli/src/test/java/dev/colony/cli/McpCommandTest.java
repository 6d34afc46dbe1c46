package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
import dev.colony.server.mcp.McpEndpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code colony mcp} (the stdio bridge, and {@code --embedded}) driven by the official TypeScript MCP client as
 * a coding agent runs it: a child process speaking MCP on its standard input and output; and
 * {@code colony hook inbox}.
 */
class McpCommandTest {
    private static Path driver;

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
        Files.copy(
                module.resolve("../colony-server/src/test/node/mcp-driver.mjs"),
                driver,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static String colonyCommand(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return "stdio:" + java + " -Xshare:off -cp " + System.getProperty("java.class.path") + " "
                + Main.class.getName() + " mcp" + (args.length == 0 ? "" : " " + String.join(" ", args));
    }

    private static int node(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("node", driver.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        System.out.println("[node " + args[0] + "] exit " + p.exitValue() + " " + out);
        return p.exitValue();
    }

    @Test
    void mcp_bridgeToARunningServer_everyToolWorksForTheTypeScriptClient(@TempDir Path data) throws Exception {
        try (Colony colony = Colony.embedded();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(Guard.open(data, colony.bus()))
                        .checkpointEvery(null)
                        .endpoint(McpEndpoint::create)
                        .build()
                        .start()) {
            String token = Files.readString(data.resolve("initial-admin-token")).strip();

            int code = node(
                    Map.of("COLONY_URL", server.uri().toString(), "COLONY_TOKEN", token), "tools", colonyCommand());

            assertThat(code).isZero();
            assertThat(colony.tasks().get("admin_nt1").orElseThrow().status().name())
                    .isEqualTo("COMPLETED");
        }
    }

    @Test
    void mcp_embedded_runsAPrivateColony() throws Exception {
        assertThat(node(Map.of(), "tools", colonyCommand("--embedded"))).isZero();
    }

    @Test
    void mcp_noServer_oneClearLineAndExit1() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        Captured run = Captured.capture("mcp", "--url", "http://127.0.0.1:" + port);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().strip().lines().toList())
                .singleElement()
                .asString()
                .startsWith("colony mcp: no colony server at http://127.0.0.1:" + port);
    }

    @Test
    void hookInbox_unacknowledgedMail_printedUntilAcknowledged(@TempDir Path data) throws Exception {
        try (Colony colony = Colony.embedded();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(Guard.open(data, colony.bus()))
                        .checkpointEvery(null)
                        .endpoint(McpEndpoint::create)
                        .build()
                        .start()) {
            String token = Files.readString(data.resolve("initial-admin-token")).strip();
            var http = java.net.http.HttpClient.newHttpClient();
            for (String body : List.of("{\"id\":\"me\",\"inbox\":true}", "{\"id\":\"you\",\"inbox\":true}")) {
                post(http, server, token, "/v1/agents", body);
            }
            post(
                    http,
                    server,
                    token,
                    "/v1/messages",
                    "{\"from\":\"you\",\"to\":\"me\",\"type\":\"ask\",\"payload\":{\"q\":1}}");
            String java = ProcessHandle.current().info().command().orElseThrow();
            ProcessBuilder hook = new ProcessBuilder(
                            java,
                            "-Xshare:off",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName(),
                            "hook",
                            "inbox",
                            "--agent",
                            "me")
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            hook.environment().put("COLONY_URL", server.uri().toString());
            hook.environment().put("COLONY_TOKEN", token);

            String first = run(hook);
            post(http, server, token, "/v1/agents/me/inbox/ack", "{\"upTo\":1}");
            String second = run(hook);

            assertThat(first.strip()).isEqualTo("colony mail #1 from you (ask): {\"q\":1}");
            assertThat(second).isEmpty();
        }
    }

    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    private static void post(java.net.http.HttpClient http, ColonyServer server, String token, String path, String body)
            throws Exception {
        var response = http.send(
                java.net.http.HttpRequest.newBuilder(server.uri().resolve(path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isLessThan(300);
    }
}
