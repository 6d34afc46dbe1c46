package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code colony plugin deploy} against a real {@code colony serve} with its real token guard. */
class PluginDeployTest {
    private static final String NEEDLE =
            Path.of("..", "examples", "plugins", "c", "needle_filter.wasm").toString();

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

    private static Captured deploy(String... args) {
        List<String> all = new ArrayList<>(List.of("plugin", "deploy", "--url", url, "--token-file", tokenFile));
        all.addAll(List.of(args));
        return capture(all.toArray(String[]::new));
    }

    @Test
    void deploy_examplePlugin_runsOnTheServer() throws IOException {
        String sha = Files.readString(Path.of(NEEDLE + ".sha256")).strip();

        Captured run = deploy(NEEDLE, "--name", "needle");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("deployed needle v" + sha.substring(0, 8))
                .contains("filter");
        assertThat(server.plugins().deployment("needle").orElseThrow().info().sha256())
                .isEqualTo(sha);
    }

    @Test
    void deploy_json_printsTheServersDescription() throws IOException {
        String sha = Files.readString(Path.of(NEEDLE + ".sha256")).strip();

        Captured run = deploy(NEEDLE, "--name", "needle_json", "--mode", "interpreted", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode doc = ServerClient.JSON.readTree(run.out());
        assertThat(doc.path("sha256").asString()).isEqualTo(sha);
        assertThat(doc.path("mode").asString()).isEqualTo("INTERPRETED");
        assertThat(doc.path("state").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void deploy_notWasm_exitOneWithTheServersReason() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.wasm"), "hello");

        Captured run = deploy(garbage.toString(), "--name", "garbage");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("422 PLUGIN_MALFORMED").contains("not a WebAssembly module");
        assertThat(server.plugins().deployment("garbage")).isEmpty();
    }

    @Test
    void deploy_badInput_usageErrorsNamingTheParameter() {
        Captured badName = deploy(NEEDLE, "--name", "Bad-Name");
        Captured noName = deploy(NEEDLE);
        Captured badMode = deploy(NEEDLE, "--name", "x", "--mode", "jit");
        Captured noFile = deploy(dir.resolve("nope.wasm").toString(), "--name", "x");
        Captured noToken = capture(
                "plugin",
                "deploy",
                NEEDLE,
                "--name",
                "x",
                "--url",
                url,
                "--token-file",
                dir.resolve("none").toString());
        Captured badUrl =
                capture("plugin", "deploy", NEEDLE, "--name", "x", "--url", "ftp://host", "--token-file", tokenFile);

        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("--name").contains("\"Bad-Name\"");
        assertThat(noName.code()).isEqualTo(2);
        assertThat(noName.err()).contains("--name");
        assertThat(badMode.code()).isEqualTo(2);
        assertThat(badMode.err()).contains("--mode").contains("\"jit\"");
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err()).contains("nope.wasm").contains("no such file");
        assertThat(noToken.code()).isEqualTo(2);
        assertThat(noToken.err()).contains("--token-file");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--url").contains("ftp://host");
        assertThat(server.plugins().deployment("x")).isEmpty();
    }

    @Test
    void deploy_serverUnreachable_exitOneNamingTheUrl() {
        ColonyServer gone = ColonyServer.builder()
                .port(0)
                .colony(colony)
                .guard(Guard.open(dir.resolve("gone"), colony.bus()))
                .plugins(server.plugins()) // one open plugin host per colony
                .build()
                .start();
        String goneUrl = gone.uri().toString();
        gone.close();

        Captured run = capture("plugin", "deploy", NEEDLE, "--name", "x", "--url", goneUrl, "--token-file", tokenFile);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach").contains(goneUrl.replaceAll("/$", ""));
    }
}
