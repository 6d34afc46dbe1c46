package dev.colony.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.colony.bus.EventBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication and authorization of {@link Guard#open}'s guard over a real token file. */
class GuardTest {
    @TempDir
    Path dir;

    private final FakeTime time = new FakeTime();
    private final EventBus bus = EventBus.create();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    private Guard guard() {
        return Guard.builder(dir, bus)
                .clock(time)
                .nanoTime(time::nanoTime)
                .reloadInterval(Duration.ofMillis(500))
                .build();
    }

    private IssuedToken create(TokenSpec spec) {
        return TokenStore.of(dir, time).create(spec);
    }

    private static TokenSpec token(String name, List<String> allow, List<String> deny, String agent) {
        return new TokenSpec(name, "acme", false, allow, deny, Optional.ofNullable(agent), Optional.empty());
    }

    private static AccessDenied denied(ThrowingCall call) {
        return catchThrowableOfType(AccessDenied.class, call::run);
    }

    interface ThrowingCall {
        void run() throws AccessDenied;
    }

    @Test
    void open_firstStart_createsAnAdminWhoseTokenIsInTheInitialFile() throws Exception {
        Guard guard = guard();

        String secret = Files.readString(dir.resolve("initial-admin-token")).strip();
        Principal admin = guard.authenticate("Bearer " + secret);

        assertThat(admin).isEqualTo(new Principal("admin", "admin", true));
        assertThatCode(() -> guard.authorize(admin, Action.ADMIN, "snapshots.create"))
                .doesNotThrowAnyException();
        assertThatCode(() -> guard.authorize(admin, Action.SUBSCRIBE, ">")).doesNotThrowAnyException();
    }

    @Test
    void authenticate_badHeaders_are401WithReasonsThatNeverEchoTheSecret() {
        IssuedToken worker = create(token("w1", List.of("pub.>"), List.of(), null));
        Guard guard = guard();
        String secret = worker.secret();
        String wrongSecret = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");

        record Case(String header, String reason) {}
        List<Case> cases = List.of(
                new Case(null, "no Authorization header"),
                new Case("  ", "no Authorization header"),
                new Case("Basic " + secret, "not `Bearer <token>`"),
                new Case("Bearer", "not `Bearer <token>`"),
                new Case("Bearer " + secret + "x", "malformed"),
                new Case("Bearer colony_zz", "malformed"),
                new Case("Bearer " + wrongSecret, "unknown token"),
                new Case("Bearer " + TokenSecret.newToken(TokenSecret.newId()), "unknown token"));
        for (Case c : cases) {
            AccessDenied e = denied(() -> guard.authenticate(c.header()));
            assertThat(e).as(c.header()).isNotNull();
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo("UNAUTHORIZED");
            assertThat(e.getMessage()).contains(c.reason()).doesNotContain(secret.substring(24, 50));
        }
        assertThatCode(() -> guard.authenticate("bearer   " + secret + " ")).doesNotThrowAnyException();
    }

    @Test
    void authenticate_expiredToken_is401NamingTheExpiry() throws Exception {
        IssuedToken worker = create(new TokenSpec(
                "w1", "acme", false, List.of("pub.>"), List.of(), Optional.empty(), Optional.of(Duration.ofHours(1))));
        Guard guard = guard();
        Principal p = guard.authenticate("Bearer " + worker.secret());

        time.advance(Duration.ofHours(1));

        AccessDenied e = denied(() -> guard.authenticate("Bearer " + worker.secret()));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("\"w1\" expired at");
        assertThat(denied(() -> guard.authorize(p, Action.PUBLISH, "x")).status())
                .isEqualTo(401);
    }

    @Test
    void authenticate_tokenRevokedWhileRunning_is401AfterTheReloadInterval() throws Exception {
        IssuedToken worker = create(token("w1", List.of("pub.>"), List.of(), null));
        Guard guard = guard();
        Principal p = guard.authenticate("Bearer " + worker.secret());

        TokenStore.of(dir).revoke("w1");
        time.advance(Duration.ofMillis(499));
        assertThatCode(() -> guard.authenticate("Bearer " + worker.secret()))
                .as("within the reload interval the file is not looked at")
                .doesNotThrowAnyException();
        time.advance(Duration.ofMillis(1));

        AccessDenied e = denied(() -> guard.authenticate("Bearer " + worker.secret()));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("\"w1\" is revoked");
        assertThat(denied(() -> guard.authorize(p, Action.PUBLISH, "x")).getMessage())
                .contains("no longer valid");
    }

    @Test
    void authenticate_tokenCreatedWhileRunning_isAcceptedAfterTheReloadInterval() throws Exception {
        Guard guard = guard();
        IssuedToken later = create(token("late", List.of("pub.>"), List.of(), null));
        assertThat(denied(() -> guard.authenticate("Bearer " + later.secret())).getMessage())
                .contains("unknown token");

        time.advance(Duration.ofMillis(500));

        assertThat(guard.authenticate("Bearer " + later.secret())).isEqualTo(new Principal("acme", "late", false));
    }

    @Test
    void reload_malformedFile_keepsTheLoadedTokensAndPicksUpTheFix() throws Exception {
        IssuedToken worker = create(token("w1", List.of("pub.>"), List.of(), null));
        Guard guard = guard();
        Path file = dir.resolve("tokens.json");
        String good = Files.readString(file);
        Files.writeString(file, "{ broken");
        time.advance(Duration.ofSeconds(1));

        assertThat(guard.authenticate("Bearer " + worker.secret()).name()).isEqualTo("w1");
        assertThat(Files.readString(file)).isEqualTo("{ broken");

        Files.writeString(file, good.replace("\"revoked\" : false", "\"revoked\" : true"));
        time.advance(Duration.ofSeconds(1));
        assertThat(denied(() -> guard.authenticate("Bearer " + worker.secret())).getMessage())
                .contains("revoked");
    }

    @Test
    void authorize_allowAndDeny_denyWinsAndEverythingElseIsDenied() throws Exception {
        IssuedToken t = create(token(
                "w1",
                List.of("task.claim.render.>", "pub.render.>", "memory.read.notes.*"),
                List.of("pub.render.secret.>"),
                null));
        Guard guard = guard();
        Principal p = guard.authenticate("Bearer " + t.secret());

        assertThatCode(() -> guard.authorize(p, Action.TASK_CLAIM, "render.video"))
                .doesNotThrowAnyException();
        assertThatCode(() -> guard.authorize(p, Action.PUBLISH, "render.done")).doesNotThrowAnyException();
        assertThatCode(() -> guard.authorize(p, Action.MEMORY_READ, "notes.k1")).doesNotThrowAnyException();

        AccessDenied denied = denied(() -> guard.authorize(p, Action.PUBLISH, "render.secret.x"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.code()).isEqualTo("FORBIDDEN");
        assertThat(denied.getMessage())
                .contains("may not pub \"render.secret.x\"")
                .contains("denied by pub.render.secret.>");
        assertThat(denied(() -> guard.authorize(p, Action.TASK_SUBMIT, "render.video"))
                        .getMessage())
                .contains("no permission allows task.submit.render.video");
        assertThat(denied(() -> guard.authorize(p, Action.MEMORY_WRITE, "notes.k1"))
                        .status())
                .isEqualTo(403);
        assertThat(denied(() -> guard.authorize(p, Action.MEMORY_READ, "notes.a.b"))
                        .status())
                .isEqualTo(403);
        assertThat(denied(() -> guard.authorize(p, Action.ADMIN, "snapshots.create"))
                        .status())
                .isEqualTo(403);
        assertThat(denied(() -> guard.authorize(p, Action.PUBLISH, "render.*")).getMessage())
                .contains("not a valid resource name");
        assertThat(denied(() -> guard.authorize(p, Action.PUBLISH, "")).status())
                .isEqualTo(403);
    }

    @Test
    void authorize_subscribe_requiresEverySubjectOfThePatternAllowedAndNoneDenied() throws Exception {
        IssuedToken t = create(token("obs", List.of("sub.task.>"), List.of("sub.task.secret.>"), null));
        Guard guard = guard();
        Principal p = guard.authenticate("Bearer " + t.secret());

        assertThatCode(() -> guard.authorize(p, Action.SUBSCRIBE, "task.render.*"))
                .doesNotThrowAnyException();
        assertThatCode(() -> guard.authorize(p, Action.SUBSCRIBE, "task.render.done"))
                .doesNotThrowAnyException();
        assertThat(denied(() -> guard.authorize(p, Action.SUBSCRIBE, "task.*.done"))
                        .getMessage())
                .as("task.secret.done is one of its subjects")
                .contains("denied by sub.task.secret.>");
        assertThat(denied(() -> guard.authorize(p, Action.SUBSCRIBE, "task.>")).getMessage())
                .contains("denied by sub.task.secret.>, which overlaps sub.task.>");
        assertThat(denied(() -> guard.authorize(p, Action.SUBSCRIBE, "task.*.>"))
                        .status())
                .isEqualTo(403);
        assertThat(denied(() -> guard.authorize(p, Action.SUBSCRIBE, "render.>"))
                        .getMessage())
                .contains("no single permission covers every subject of sub.render.>");
        assertThat(denied(() -> guard.authorize(p, Action.SUBSCRIBE, "task.a*")).getMessage())
                .contains("not a valid subject pattern");
    }

    @Test
    void authorize_agentBoundToken_actsOnlyAsMatchingAgents() throws Exception {
        IssuedToken t = create(token("w1", List.of("inbox.send.>"), List.of(), "worker-1"));
        IssuedToken pool = create(token("pool", List.of(), List.of("agent.worker-boss"), "worker-*"));
        Guard guard = guard();
        Principal p = guard.authenticate("Bearer " + t.secret());
        Principal q = guard.authenticate("Bearer " + pool.secret());

        assertThatCode(() -> guard.authorize(p, Action.AGENT, "worker-1")).doesNotThrowAnyException();
        assertThat(denied(() -> guard.authorize(p, Action.AGENT, "worker-2")).getMessage())
                .contains("bound to agent ids matching worker-1");
        assertThatCode(() -> guard.authorize(p, Action.INBOX_SEND, "worker-2"))
                .as("sending to another agent is not reading its inbox")
                .doesNotThrowAnyException();
        assertThatCode(() -> guard.authorize(q, Action.AGENT, "worker-7")).doesNotThrowAnyException();
        assertThat(denied(() -> guard.authorize(q, Action.AGENT, "worker-boss")).getMessage())
                .contains("denied by agent.worker-boss");
        assertThat(denied(() -> guard.authorize(q, Action.AGENT, "other-7")).status())
                .isEqualTo(403);
    }

    @Test
    void authorize_tokenWithoutAgentBinding_needsAnAgentPermission() throws Exception {
        IssuedToken t = create(token("w1", List.of("pub.>"), List.of(), null));
        Guard guard = guard();
        Principal p = guard.authenticate("Bearer " + t.secret());

        assertThat(denied(() -> guard.authorize(p, Action.AGENT, "w1")).status())
                .isEqualTo(403);
    }

    @Test
    void authorize_forgedPrincipal_is401() {
        create(token("w1", List.of("pub.>"), List.of(), null));
        Guard guard = guard();

        assertThat(denied(() -> guard.authorize(new Principal("acme", "w1", true), Action.ADMIN, "x"))
                        .status())
                .isEqualTo(401);
        assertThat(denied(() -> guard.authorize(new Principal("other", "w1", false), Action.PUBLISH, "x"))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void open_laterStart_keepsTheTokensAndIssuesNoNewAdmin() throws IOException {
        guard();
        String first = Files.readString(dir.resolve("initial-admin-token"));
        guard();

        assertThat(Files.readString(dir.resolve("initial-admin-token"))).isEqualTo(first);
        assertThat(TokenStore.of(dir).list()).hasSize(1);
    }
}
