package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The operator commands (agents, tasks, leaders, memory, tail, pub, send, metrics --url) against a real
 * {@code colony serve} with its real token guard: what they print for people and for scripts, and their
 * exit codes and one-line errors for bad input.
 */
class OperatorCommandsTest {
    @TempDir
    static Path dir;

    private static ServedColony served;
    private static Colony colony;
    private static ColonyServer server;
    private static String url;
    private static String tokenFile;

    @BeforeAll
    static void start() {
        served = ServedColony.start(dir);
        colony = served.colony();
        server = served.server();
        url = served.url();
        tokenFile = served.tokenFile();
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    /** Runs {@code colony <command> --url URL --token-file FILE <args>}. */
    private static Captured run(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(List.of("--url", url, "--token-file", tokenFile));
        all.addAll(List.of(args));
        return capture(all.toArray(String[]::new));
    }

    private static void ok(Captured result) {
        assertThat(result.code()).as(result.err()).isZero();
    }

    private static JsonNode json(Captured result) {
        ok(result);
        return ServerClient.JSON.readTree(result.out());
    }

    private static void usageError(Captured result, String... fragments) {
        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(2);
        assertThat(result.err()).contains(fragments).contains("see `colony ");
    }

    private static void failure(Captured result, String... fragments) {
        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(1);
        assertThat(result.err()).contains(fragments);
        assertThat(result.err().strip().lines()).hasSize(1);
    }

    private static String post(String path, String body) throws Exception {
        return served.post(path, body);
    }

    @Test
    void agents_registeredAgent_listedAsTableAndJson() throws Exception {
        post("/v1/agents", "{\"id\":\"op-w1\",\"role\":\"opworker\",\"capabilities\":[\"gpu\"]}");

        Captured table = run("agents", "--role", "opworker");
        ok(table);
        assertThat(table.out()).startsWith("ID").contains("op-w1", "opworker", "gpu");
        assertThat(json(run("agents", "--role", "opworker", "--json"))
                        .get(0)
                        .path("id")
                        .asString())
                .isEqualTo("op-w1");
        usageError(run("agents", "--status", "SLEEPY"), "--status", "SLEEPY");
    }

    @Test
    void tasks_listAndShow_printTheTasks() throws Exception {
        post("/v1/tasks", "{\"id\":\"op-t1\",\"type\":\"optype\",\"payload\":{\"n\":1}}");

        Captured table = run("tasks", "--status", "queued");
        ok(table);
        assertThat(table.out()).startsWith("ID").contains("op-t1", "optype", "QUEUED");
        assertThat(json(run("tasks", "op-t1", "--json"))
                        .path("payload")
                        .path("n")
                        .asInt())
                .isEqualTo(1);
        failure(run("tasks", "op-nope"), "colony tasks: 404 NO_SUCH_TASK");
        usageError(run("tasks", "--limit", "0"), "--limit must be a positive number, got 0");
        usageError(run("tasks", "--status", "DONE"), "--status", "DONE");
    }

    @Test
    void leaders_heldAndFreeGroups_showLeaderAndTerm() throws Exception {
        post("/v1/leaders/opgroup/campaign", "{\"agent\":\"op-lead\",\"lease\":\"1m\"}");

        Captured table = run("leaders", "opgroup", "opfree");
        ok(table);
        assertThat(table.out()).contains("opgroup", "op-lead").contains("opfree", "(none)");
        assertThat(json(run("leaders", "opgroup", "--json")).get(0).path("term").asLong())
                .isPositive();
        usageError(run("leaders"), "GROUP");
    }

    @Test
    void memory_putGetCasDel_behaveLikeRedisCli() {
        assertThat(run("memory put", "opcfg", "model", "\"gpt\"").out()).startsWith("OK version ");
        long version = json(run("memory get", "opcfg", "model", "--json"))
                .path("version")
                .asLong();
        assertThat(run("memory get", "opcfg", "model").out().strip()).isEqualTo("\"gpt\"");
        ok(run("memory put", "opcfg", "model", "{\"v\":2}", "--if-version", Long.toString(version), "--ttl", "1h"));
        failure(
                run("memory put", "opcfg", "model", "3", "--if-version", Long.toString(version)),
                "colony memory put: 412 CAS_CONFLICT");
        assertThat(run("memory get", "opcfg", "model").out().strip()).isEqualTo("{\"v\":2}");
        ok(run("memory del", "opcfg", "model"));
        failure(run("memory get", "opcfg", "model"), "404 NO_SUCH_KEY");
        usageError(run("memory put", "opcfg", "model", "not json"), "JSON must be JSON", "'not json'");
        usageError(run("memory put", "opcfg", "model", "1", "--if-version", "-1"), "--if-version", "-1");
        usageError(capture("memory"), "missing subcommand");
    }

    @Test
    void pubAndTail_publishedEvents_areTailedInOrder() throws Exception {
        CompletableFuture<Captured> tail =
                CompletableFuture.supplyAsync(() -> run("tail", "optail.>", "--count", "2", "--json"));
        // the tail attaches at some point: publish until it has seen two events
        List<String> published = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    published.add(post("/v1/events/optail.x", "{\"n\":" + published.size() + "}"));
                    return tail.isDone();
                });
        List<JsonNode> lines =
                tail.get().out().lines().map(ServerClient.JSON::readTree).toList();
        ok(tail.get());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("subject").asString()).isEqualTo("optail.x");
        assertThat(lines.get(1).path("payload").path("n").asInt())
                .isEqualTo(lines.get(0).path("payload").path("n").asInt() + 1);

        Captured pub = run("pub", "optail.y", "{\"k\":1}");
        ok(pub);
        assertThat(pub.out()).startsWith("published on optail.y: matched ");
        usageError(run("pub", "optail.y", "{broken"), "JSON must be JSON", "'{broken'");
        failure(run("pub", "bad..subject", "1"), "colony pub: 400 BAD_REQUEST");
        usageError(run("tail", "optail.>", "--count", "0"), "--count must be a positive number, got 0");
    }

    @Test
    void send_toRegisteredAgent_deliversAndUnknownAgentFails() throws Exception {
        post("/v1/agents", "{\"id\":\"op-inbox\",\"inbox\":true}");

        Captured sent = run("send", "--from", "ops", "op-inbox", "pause", "{\"why\":\"deploy\"}");
        ok(sent);
        assertThat(sent.out()).startsWith("delivered message ").contains("to op-inbox");
        failure(run("send", "op-nobody", "pause", "1"), "colony send: 404 NO_SUCH_AGENT");
        usageError(run("send", "op-inbox", "pause", "nope"), "'nope'");
        usageError(run("send", "op-inbox", "pause", "1", "--priority", "12"), "--priority must be from 0 to 9, got 12");
    }

    @Test
    void metricsUrl_runningServer_printsItsPrometheusText() {
        Captured metrics = capture("metrics", "--url", url, "--token-file", tokenFile);
        ok(metrics);
        assertThat(metrics.out()).contains("# TYPE ");
        usageError(capture("metrics", "--url", url, "--token-file", tokenFile, "--format", "json"), "--format JSON");
        usageError(capture("metrics", "--token-file", tokenFile), "--token-file goes with --url");
    }

    @Test
    void anyCommand_badConnectionOrToken_failsWithOneLine() throws Exception {
        usageError(capture("agents", "--url", "ftp://x", "--token-file", tokenFile), "invalid --url \"ftp://x\"");
        usageError(
                capture(
                        "tasks",
                        "--url",
                        url,
                        "--token-file",
                        dir.resolve("missing").toString()),
                "--token-file",
                "cannot be read");
        Path wrong = Files.writeString(dir.resolve("wrong-token"), "colony_0000000000000000_nope\n");
        failure(capture("agents", "--url", url, "--token-file", wrong.toString()), "colony agents: 401 UNAUTHORIZED");
        failure(
                capture("leaders", "g", "--url", "http://127.0.0.1:1", "--token-file", tokenFile),
                "colony leaders: cannot reach http://127.0.0.1:1");
        assertThat(capture("agents", "--url", url, "--token-file", wrong.toString())
                        .err())
                .doesNotContain("nope");
    }
}
