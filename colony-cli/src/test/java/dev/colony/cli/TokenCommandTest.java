package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Action;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TokenCommandTest {
    @TempDir
    Path dir;

    private String data() {
        return dir.resolve("data").toString();
    }

    private String create(String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "token";
        args[1] = "create";
        args[2] = "--data";
        args[3] = data();
        System.arraycopy(options, 0, args, 4, options.length);
        Captured result = capture(args);
        assertThat(result.code()).as(result.err()).isZero();
        return result.out().strip();
    }

    @Test
    void create_validOptions_printsTheValueOnceAndStoresOnlyItsHash() throws IOException {
        Captured result = capture(
                "token",
                "create",
                "--data",
                data(),
                "--name",
                "w1",
                "--account",
                "acme",
                "--agent",
                "worker-*",
                "--allow",
                "task.claim.render.>",
                "--deny",
                "task.claim.render.secret",
                "--expires",
                "30d");

        assertThat(result.code()).as(result.err()).isZero();
        String secret = result.out().strip();
        assertThat(result.out()).isEqualTo(secret + System.lineSeparator());
        assertThat(secret).matches("colony_[0-9a-f]{16}_[A-Za-z0-9]{43}");
        assertThat(result.err())
                .contains("created token \"w1\" (account acme, expires ")
                .contains("only time");
        assertThat(Files.readString(dir.resolve("data/tokens.json"))).doesNotContain(secret.substring(24));
    }

    @Test
    void createAndRevoke_onARunningGuard_takeEffectWithoutRestart() throws Exception {
        AtomicLong nanos = new AtomicLong();
        try (EventBus bus = EventBus.create()) {
            Guard guard = Guard.builder(dir.resolve("data"), bus)
                    .nanoTime(nanos::get)
                    .reloadInterval(Duration.ofSeconds(1))
                    .build();
            String secret = create("--name", "w1", "--account", "acme", "--allow", "pub.>");
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());

            Principal p = guard.authenticate("Bearer " + secret);
            assertThat(p).isEqualTo(new Principal("acme", "w1", false));
            guard.authorize(p, Action.PUBLISH, "anything");

            assertThat(capture("token", "revoke", "--data", data(), "w1").code())
                    .isZero();
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());

            try {
                guard.authenticate("Bearer " + secret);
                throw new AssertionError("a revoked token was accepted");
            } catch (AccessDenied e) {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).contains("revoked");
            }
        }
    }

    @Test
    void create_badInput_isAUsageErrorNamingTheValue() {
        String[][] cases = {
            {"--name", "a.b", "--account", "acme", "--allow", "pub.>"},
            {"--name", "w1", "--account", "ac-me", "--allow", "pub.>"},
            {"--name", "w1", "--account", "acme", "--allow", "pubs.>"},
            {"--name", "w1", "--account", "acme", "--allow", "pub.a*"},
            {"--name", "w1", "--account", "acme", "--allow", "pub.>", "--expires", "soon"},
            {"--name", "w1", "--account", "acme", "--allow", "pub.>", "--expires", "-1d"},
            {"--name", "w1", "--account", "acme", "--admin", "--allow", "pub.>"},
            {"--name", "w1", "--account", "acme", "--agent", "w.1"},
            {"--name", "w1", "--account", "acme"},
            {"--account", "acme", "--allow", "pub.>"},
        };
        String[] quoted = {
            "a.b",
            "ac-me",
            "pubs.>",
            "pub.a*",
            "soon",
            "-1d",
            "may do everything",
            "w.1",
            "give --allow, --agent or --admin",
            "--name"
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 4];
            System.arraycopy(new String[] {"token", "create", "--data", data()}, 0, args, 0, 4);
            System.arraycopy(cases[i], 0, args, 4, cases[i].length);
            Captured result = capture(args);
            assertThat(result.code())
                    .as(String.join(" ", cases[i]) + ": " + result.err())
                    .isEqualTo(2);
            assertThat(result.err().lines()).hasSize(2);
            assertThat(result.err()).startsWith("colony token create: ").contains(quoted[i]);
        }
        assertThat(Files.exists(dir.resolve("data")))
                .as("bad input creates nothing")
                .isFalse();
    }

    @Test
    void create_dataIsAFile_isAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Captured result = capture(
                "token", "create", "--data", file.toString(), "--name", "w1", "--account", "acme", "--allow", "pub.>");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("is not a directory");
    }

    @Test
    void create_nameTaken_failsWithExit1() {
        create("--name", "w1", "--account", "acme", "--allow", "pub.>");
        Captured result =
                capture("token", "create", "--data", data(), "--name", "w1", "--account", "acme", "--allow", "pub.>");

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("colony token create: a token named \"w1\" already exists;"
                        + " revoke it first or choose another --name" + System.lineSeparator());
    }

    @Test
    void list_table_showsEveryTokenAndNoSecret() {
        String w1 = create("--name", "w1", "--account", "acme", "--agent", "worker-*", "--allow", "pub.>");
        String ops = create("--name", "ops", "--account", "acme", "--admin", "--expires", "12h");
        capture("token", "revoke", "--data", data(), "w1");

        Captured result = capture("token", "list", "--data", data());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out().lines().toList()).hasSize(3);
        assertThat(result.out().lines().findFirst().orElseThrow())
                .matches("NAME +ACCOUNT +ROLE +AGENT +ALLOW +DENY +CREATED +EXPIRES +STATUS");
        assertThat(result.out()).containsPattern("w1 +acme +- +worker-\\* +pub\\.> +- +\\S+ +never +REVOKED");
        assertThat(result.out()).containsPattern("ops +acme +admin +- +- +- +\\S+ +\\S+Z +ACTIVE");
        assertThat(result.out()).doesNotContain(w1.substring(24)).doesNotContain(ops.substring(24));
    }

    @Test
    void list_json_isAnArrayOfTokensWithoutSecrets() {
        String w1 = create("--name", "w1", "--account", "acme", "--allow", "pub.>", "--deny", "pub.x");

        Captured result = capture("token", "list", "--data", data(), "--json");

        assertThat(result.code()).isZero();
        JsonNode array = JsonMapper.builder().build().readTree(result.out());
        assertThat(array.size()).isEqualTo(1);
        JsonNode t = array.get(0);
        assertThat(t.get("name").asString()).isEqualTo("w1");
        assertThat(t.get("allow").get(0).asString()).isEqualTo("pub.>");
        assertThat(t.get("deny").get(0).asString()).isEqualTo("pub.x");
        assertThat(t.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(t.has("sha256")).isFalse();
        assertThat(result.out()).doesNotContain(w1.substring(24));
    }

    @Test
    void listAndRevoke_noTokensFile_failWithExit1() {
        Captured list = capture("token", "list", "--data", data());
        Captured revoke = capture("token", "revoke", "--data", data(), "w1");

        assertThat(list.code()).isEqualTo(1);
        assertThat(list.err()).contains("no tokens file " + dir.resolve("data/tokens.json"));
        assertThat(revoke.code()).isEqualTo(1);
    }

    @Test
    void revoke_unknownOrBadName_failsWith1Or2() {
        create("--name", "w1", "--account", "acme", "--allow", "pub.>");

        Captured unknown = capture("token", "revoke", "--data", data(), "w2");
        Captured bad = capture("token", "revoke", "--data", data(), "w 2");
        Captured twice = capture("token", "revoke", "--data", data(), "w1");
        Captured again = capture("token", "revoke", "--data", data(), "w1");

        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("no active token named \"w2\"");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("invalid token name \"w 2\"");
        assertThat(twice.code()).isZero();
        assertThat(twice.out()).contains("revoked token \"w1\"");
        assertThat(again.code()).isEqualTo(1);
    }

    @Test
    void list_malformedFile_failsWithOneLineAndLeavesItUnchanged() throws IOException {
        create("--name", "w1", "--account", "acme", "--allow", "pub.>");
        Path file = dir.resolve("data/tokens.json");
        Files.writeString(file, "{\"format\":\"colony-tokens\",\"version\":1,\"tokens\":[{\"id\":1}]}");

        Captured list = capture("token", "list", "--data", data());
        Captured create =
                capture("token", "create", "--data", data(), "--name", "w2", "--account", "acme", "--allow", "pub.>");

        assertThat(list.code()).isEqualTo(1);
        assertThat(list.err().lines())
                .singleElement()
                .asString()
                .startsWith("colony token list: tokens file " + file + " is malformed: token #1: \"id\"");
        assertThat(create.code()).isEqualTo(1);
        assertThat(Files.readString(file)).contains("{\"id\":1}");
    }

    @Test
    void token_withoutSubcommand_isAUsageError() {
        Captured result = capture("token");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("missing subcommand: create, list or revoke");
    }
}
