package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.wasm.PluginHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PluginApiTest {
    /** The WAT example plugin (examples/plugins/wat): a subject-only, deterministic filter. */
    static final byte[] PREFIX = read(Path.of("..", "examples", "plugins", "wat", "subject_prefix.wasm"));

    /** A valid module header, a type section and an import of {@code env.f}, which the host does not provide. */
    static final byte[] UNKNOWN_IMPORT =
            HexFormat.of().parseHex("0061736d01000000" + "010401600000" + "0209010365" + "6e7601660000");

    @Test
    void deploy_validModule_isListedReadAndRemoved() {
        try (ServerFixture f = new ServerFixture()) {
            Http.Res put = deploy(f.server, "admin", "prefix", PREFIX, sha256(PREFIX), "application/wasm");

            assertThat(put.status()).as(put.text()).isEqualTo(200);
            assertThat(put.json().path("sha256").asString()).isEqualTo(sha256(PREFIX));
            assertThat(put.json().path("kinds").get(0).asString()).isEqualTo("FILTER");
            assertThat(put.json().path("state").asString()).isEqualTo("ACTIVE");
            assertThat(f.server.plugins().names()).containsExactly("prefix");

            Http.Res list = f.admin.get("/v1/admin/plugins");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.json().path("plugins")).hasSize(1);
            assertThat(list.json().path("plugins").get(0).path("name").asString())
                    .isEqualTo("prefix");
            assertThat(list.json()
                            .path("plugins")
                            .get(0)
                            .path("metrics")
                            .path("calls")
                            .asLong())
                    .isZero();
            assertThat(f.admin
                            .get("/v1/admin/plugins/prefix")
                            .json()
                            .path("version")
                            .asString())
                    .isEqualTo("v" + sha256(PREFIX).substring(0, 8));

            assertThat(f.admin.delete("/v1/admin/plugins/prefix").status()).isEqualTo(204);
            assertThat(f.server.plugins().names()).isEmpty();
            Http.Res gone = f.admin.get("/v1/admin/plugins/prefix");
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.code()).isEqualTo("NO_SUCH_PLUGIN");
            assertThat(f.admin.delete("/v1/admin/plugins/prefix").status()).isEqualTo(404);
            assertThat(f.guard.audits)
                    .containsExactly(
                            "acme.admin plugin.deploy prefix v" + sha256(PREFIX).substring(0, 8),
                            "acme.admin plugin.remove prefix");
        }
    }

    @Test
    void pluginRoutes_nonAdminToken_forbiddenAndNothingDeployed() {
        try (ServerFixture f = new ServerFixture()) {
            Http.Res put = deploy(f.server, "bob", "prefix", PREFIX, sha256(PREFIX), "application/wasm");

            assertThat(put.status()).isEqualTo(403);
            assertThat(put.header("Content-Type")).startsWith("application/problem+json");
            assertThat(f.admin.as("bob").get("/v1/admin/plugins").status()).isEqualTo(403);
            assertThat(f.admin.as("bob").delete("/v1/admin/plugins/prefix").status())
                    .isEqualTo(403);
            assertThat(deploy(f.server, null, "prefix", PREFIX, sha256(PREFIX), "application/wasm")
                            .status())
                    .isEqualTo(401);
            assertThat(f.server.plugins().names()).isEmpty();
        }
    }

    @Test
    void deploy_malformedModule_422NamesTheReason() {
        byte[] junk = "not a wasm module".getBytes(StandardCharsets.UTF_8);
        try (ServerFixture f = new ServerFixture()) {
            Http.Res put = deploy(f.server, "admin", "junk", junk, sha256(junk), "application/wasm");

            assertThat(put.status()).isEqualTo(422);
            assertThat(put.code()).isEqualTo("PLUGIN_MALFORMED");
            assertThat(put.json().path("reason").asString()).isEqualTo("MALFORMED");
            assertThat(f.server.plugins().names()).isEmpty();
            assertThat(f.guard.audits).containsExactly("acme.admin plugin.refused junk");
        }
    }

    @Test
    void deploy_unknownImport_422NamesTheImport() {
        try (ServerFixture f = new ServerFixture()) {
            Http.Res put =
                    deploy(f.server, "admin", "sneaky", UNKNOWN_IMPORT, sha256(UNKNOWN_IMPORT), "application/wasm");

            assertThat(put.status()).isEqualTo(422);
            assertThat(put.code()).isEqualTo("PLUGIN_IMPORT");
            assertThat(put.json().path("detail").asString()).contains("env");
        }
    }

    @Test
    void deploy_checksumMismatch_422AndPreviousVersionKeepsRunning() {
        try (ServerFixture f = new ServerFixture()) {
            assertThat(deploy(f.server, "admin", "prefix", PREFIX, sha256(PREFIX), "application/wasm")
                            .status())
                    .isEqualTo(200);
            String wrong = "0".repeat(64);

            Http.Res put = deploy(f.server, "admin", "prefix", PREFIX, wrong, "application/wasm");

            assertThat(put.status()).isEqualTo(422);
            assertThat(put.code()).isEqualTo("PLUGIN_CHECKSUM");
            assertThat(put.json().path("detail").asString()).contains(wrong).contains(sha256(PREFIX));
            assertThat(f.admin
                            .get("/v1/admin/plugins/prefix")
                            .json()
                            .path("sha256")
                            .asString())
                    .isEqualTo(sha256(PREFIX));
        }
    }

    @Test
    void deploy_overTheMemoryBudget_409PluginBudget() {
        try (Colony colony = Colony.embedded();
                PluginHost host = PluginHost.builder().memoryBudgetBytes(65_536).build();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(new TestGuard())
                        .plugins(host)
                        .build()
                        .start()) {
            Http.Res put = deploy(server, "admin", "prefix", PREFIX, sha256(PREFIX), "application/wasm");

            assertThat(put.status()).isEqualTo(409);
            assertThat(put.code()).isEqualTo("PLUGIN_BUDGET");
            assertThat(put.json().path("detail").asString()).contains("65536");
            assertThat(host.names()).isEmpty();
        }
    }

    @Test
    void deploy_badRequestParts_clearErrors() {
        try (ServerFixture f = new ServerFixture()) {
            String sha = sha256(PREFIX);
            Http.Res noSha = deploy(f.server, "admin", "prefix", PREFIX, null, "application/wasm");
            Http.Res badSha = deploy(f.server, "admin", "prefix", PREFIX, "abc", "application/wasm");
            Http.Res json = deploy(f.server, "admin", "prefix", PREFIX, sha, "application/json");
            Http.Res badName = deploy(f.server, "admin", "Bad-Name", PREFIX, sha, "application/wasm");
            Http.Res empty = deploy(f.server, "admin", "prefix", new byte[0], sha, "application/wasm");
            Http.Res badMode = send(
                    f.server,
                    "admin",
                    "/v1/admin/plugins/prefix?sha256=" + sha + "&mode=jit",
                    PREFIX,
                    "application/wasm");

            assertThat(noSha.status()).isEqualTo(400);
            assertThat(noSha.json().path("detail").asString()).contains("sha256");
            assertThat(badSha.status()).isEqualTo(400);
            assertThat(badSha.json().path("detail").asString())
                    .contains("sha256")
                    .contains("\"abc\"");
            assertThat(json.status()).isEqualTo(415);
            assertThat(json.json().path("detail").asString()).contains("application/json");
            assertThat(badName.status()).isEqualTo(400);
            assertThat(badName.json().path("detail").asString()).contains("Bad-Name");
            assertThat(empty.status()).isEqualTo(400);
            assertThat(badMode.status()).isEqualTo(400);
            assertThat(badMode.json().path("detail").asString())
                    .contains("mode")
                    .contains("\"jit\"");
            assertThat(f.server.plugins().names()).isEmpty();
        }
    }

    @Test
    void deploy_bodyOverTheLimit_413() {
        byte[] big = new byte[4096];
        try (ServerFixture f =
                new ServerFixture(Colony.embedded(), ServerLimits.defaults().withMaxBodyBytes(1024))) {
            Http.Res put = deploy(f.server, "admin", "big", big, sha256(big), "application/wasm");

            assertThat(put.status()).isEqualTo(413);
            assertThat(put.code()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(f.server.plugins().names()).isEmpty();
        }
    }

    static Http.Res deploy(ColonyServer server, String token, String name, byte[] bytes, String sha, String type) {
        String path = "/v1/admin/plugins/" + name + (sha == null ? "" : "?sha256=" + sha);
        return send(server, token, path, bytes, type);
    }

    static Http.Res send(ColonyServer server, String token, String path, byte[] bytes, String type) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        // a client for the one request, closed with it: none of its connections outlives the call
        HttpClient client = Http.newClient();
        try {
            return new Http(client, server.uri(), token).send(b.build());
        } finally {
            Http.close(client);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
