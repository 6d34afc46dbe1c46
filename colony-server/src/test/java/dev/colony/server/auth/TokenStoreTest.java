package dev.colony.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    private TokenStore store() {
        return TokenStore.of(dir, InstantSource.fixed(T0));
    }

    static TokenSpec worker(String name) {
        return new TokenSpec(
                name,
                "acme",
                false,
                List.of("task.claim.render.>", "pub.render.>"),
                List.of("pub.render.secret"),
                Optional.of("worker-1"),
                Optional.of(Duration.ofDays(30)));
    }

    @Test
    void create_newToken_storesOnlyItsHashWithMode0600() throws IOException {
        IssuedToken issued = store().create(worker("w1"));

        assertThat(issued.secret()).matches("colony_[0-9a-f]{16}_[A-Za-z0-9]{43}");
        assertThat(issued.secret()).startsWith("colony_" + issued.info().id() + "_");
        String file = Files.readString(store().file());
        assertThat(file)
                .doesNotContain(issued.secret().substring(24))
                .contains(TokenSecret.hex(TokenSecret.sha256(issued.secret())));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store().file())))
                .isEqualTo("rw-------");
        assertThat(issued.toString()).doesNotContain(issued.secret());
        assertThat(issued.info().expires()).contains(T0.plus(Duration.ofDays(30)));
        assertThat(issued.info().created()).isEqualTo(T0);
    }

    @Test
    void list_afterCreates_returnsEveryFieldInOrder() {
        TokenStore store = store();
        store.create(worker("w1"));
        store.create(TokenSpec.admin("ops", "acme"));

        List<TokenInfo> tokens = TokenStore.of(dir).list();

        assertThat(tokens).extracting(TokenInfo::name).containsExactly("w1", "ops");
        TokenInfo w1 = tokens.getFirst();
        assertThat(w1.account()).isEqualTo("acme");
        assertThat(w1.admin()).isFalse();
        assertThat(w1.allow()).containsExactly("task.claim.render.>", "pub.render.>");
        assertThat(w1.deny()).containsExactly("pub.render.secret");
        assertThat(w1.agent()).contains("worker-1");
        assertThat(w1.revoked()).isFalse();
        assertThat(tokens.get(1).admin()).isTrue();
        assertThat(tokens.get(1).expires()).isEmpty();
    }

    @Test
    void create_nameOfAnActiveToken_isRefusedAndTheFileIsUnchanged() throws IOException {
        TokenStore store = store();
        store.create(worker("w1"));
        byte[] before = Files.readAllBytes(store.file());

        assertThatThrownBy(() -> store.create(worker("w1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"w1\" already exists");
        assertThat(Files.readAllBytes(store.file())).isEqualTo(before);
    }

    @Test
    void revoke_activeName_marksItRevokedAndFreesTheName() {
        TokenStore store = store();
        store.create(worker("w1"));

        assertThat(store.revoke("w1")).isTrue();
        assertThat(store.revoke("w1")).isFalse();
        assertThat(store.list())
                .singleElement()
                .satisfies(t -> assertThat(t.revoked()).isTrue());
        store.create(worker("w1"));
        assertThat(store.list()).extracting(TokenInfo::revoked).containsExactly(true, false);
    }

    @Test
    void revoke_unknownName_returnsFalseWithoutCreatingAFile() {
        assertThat(store().revoke("nobody")).isFalse();
        assertThat(store().exists()).isFalse();
    }

    @Test
    void spec_badNames_areRefusedNamingTheParameterAndValue() {
        assertThatThrownBy(() -> spec("a.b", "acme", List.of())).hasMessageContaining("invalid token name \"a.b\"");
        assertThatThrownBy(() -> spec("w1", "ac me", List.of())).hasMessageContaining("invalid account \"ac me\"");
        assertThatThrownBy(() -> spec("w1", "ac_me", List.of()))
                .hasMessageContaining("invalid account \"ac_me\"")
                .hasMessageContaining("letters or digits");
        assertThatThrownBy(() -> spec("w1", "a".repeat(33), List.of())).hasMessageContaining("1-32");
        assertThatThrownBy(() -> spec("w1", "", List.of())).hasMessageContaining("invalid account \"\"");
        assertThatThrownBy(() -> spec("x".repeat(65), "acme", List.of())).hasMessageContaining("1-64");
        assertThatThrownBy(() -> spec("w1", "acme", List.of("pub.a*")))
                .hasMessageContaining("--allow permission")
                .hasMessageContaining("pub.a*");
        assertThatThrownBy(() -> spec("w1", "acme", List.of("pubs.>")))
                .hasMessageContaining("invalid --allow permission \"pubs.>\"")
                .hasMessageContaining("no action");
        assertThatThrownBy(() -> new TokenSpec(
                        "w1", "acme", true, List.of("pub.>"), List.of(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("admin token \"w1\" may do everything");
        assertThatThrownBy(() ->
                        new TokenSpec("w1", "acme", false, List.of(), List.of(), Optional.of("w.1"), Optional.empty()))
                .hasMessageContaining("invalid agent pattern \"w.1\"");
        assertThatThrownBy(() -> new TokenSpec(
                        "w1", "acme", false, List.of(), List.of(), Optional.empty(), Optional.of(Duration.ZERO)))
                .hasMessageContaining("lifetime must be more than zero");
    }

    @Test
    void read_malformedFile_failsWithOneLineAndLeavesTheFileUnchanged() throws IOException {
        TokenStore store = store();
        store.create(worker("w1"));
        String corrupt = Files.readString(store.file()).replace("\"admin\" : false", "\"admin\" : \"no\"");
        Files.writeString(store.file(), corrupt);

        assertThatThrownBy(store::list)
                .isInstanceOf(TokenFileException.class)
                .hasMessageContaining("tokens file " + store.file() + " is malformed: token #1: \"admin\"")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> store.create(worker("w2"))).isInstanceOf(TokenFileException.class);
        assertThatThrownBy(() -> store.revoke("w1")).isInstanceOf(TokenFileException.class);
        assertThat(Files.readString(store.file())).isEqualTo(corrupt);
    }

    @Test
    void read_truncatedOrForeignFile_failsNamingTheProblem() throws IOException {
        TokenStore store = store();
        store.create(worker("w1"));
        byte[] bytes = Files.readAllBytes(store.file());
        Files.write(store.file(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(store::list).hasMessageContaining("is malformed: not JSON");

        Files.writeString(store.file(), "{\"tokens\": []}");
        assertThatThrownBy(store::list).hasMessageContaining("not a tokens file");

        Files.writeString(store.file(), "{\"format\":\"colony-tokens\",\"version\":2,\"tokens\":[]}");
        assertThatThrownBy(store::list).hasMessageContaining("version 2 is not 1");
    }

    @Test
    void read_fileOpenToGroupOrOthers_isRefusedWithTheChmodToRun() throws IOException {
        TokenStore store = store();
        store.create(worker("w1"));
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(store::list)
                .isInstanceOf(TokenFileException.class)
                .hasMessageContaining("has mode rw-r--r--")
                .hasMessageContaining("chmod 600 " + store.file());
        assertThatThrownBy(() -> Guard.open(dir, dev.colony.bus.EventBus.create()))
                .isInstanceOf(TokenFileException.class)
                .hasMessageContaining("chmod 600");
    }

    @Test
    void createInitialAdmin_firstTimeOnly_writesTheValueToAFileWithMode0600() throws IOException {
        TokenStore store = store();

        IssuedToken admin = store.createInitialAdmin().orElseThrow();

        assertThat(admin.info().admin()).isTrue();
        assertThat(Files.readString(store.initialAdminFile(), StandardCharsets.UTF_8))
                .isEqualTo(admin.secret() + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.initialAdminFile())))
                .isEqualTo("rw-------");
        assertThat(store.createInitialAdmin()).isEmpty();
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void create_newDataDir_isCreatedOwnerOnly() throws IOException {
        Path data = dir.resolve("new/data");
        TokenStore.of(data).create(worker("w1"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary file left behind")
                    .containsExactlyInAnyOrder("tokens.json", "tokens.lock");
        }
    }

    @Test
    void create_concurrentlyFromManyThreads_losesNoToken() throws Exception {
        TokenStore store = store();
        int threads = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<IssuedToken>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String name = "t" + i;
                futures.add(pool.submit(() -> store.create(worker(name))));
            }
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.list()).hasSize(40);
    }

    private static TokenSpec spec(String name, String account, List<String> allow) {
        return new TokenSpec(name, account, false, allow, List.of(), Optional.empty(), Optional.empty());
    }
}
