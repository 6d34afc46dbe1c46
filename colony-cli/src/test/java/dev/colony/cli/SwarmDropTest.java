package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.redis.RedisServer;
import dev.colony.state.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code colony swarm drop}: every key of one swarm deleted through the Java client, others untouched. */
class SwarmDropTest {
    private static final String PASSWORD = "dr0p-s3cret";
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
        server.command("ACL SETUSER ops on >" + PASSWORD + " ~* &* +@all");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static String opsUri() {
        return "redis://ops@127.0.0.1:" + server.port();
    }

    private static void fill(String swarm) {
        try (Colony colony = Colony.builder().redis(server.uri()).swarm(swarm).build()) {
            for (int i = 0; i < 20; i++) {
                colony.tasks().submit(TaskSpec.of("t" + i, "work", new byte[] {(byte) i}));
            }
        }
    }

    @Test
    void drop_withPasswordFile_deletesEveryKeyOfThatSwarmOnly(@TempDir Path dir) throws Exception {
        fill("doomed");
        fill("kept");
        Path file = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");

        Captured result =
                capture("swarm", "drop", "--redis", opsUri(), "--swarm", "doomed", "--password-file", file.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("dropped swarm doomed").doesNotContain(PASSWORD);
        assertThat(server.command("KEYS colony:{doomed}:*")).isEqualTo("*0");
        assertThat(server.command("EXISTS colony:{kept}:s:task:t0")).isEqualTo(":1");
    }

    @Test
    void drop_passwordInTheUri_isAUsageErrorThatDoesNotPrintIt() {
        Captured result = capture(
                "swarm", "drop", "--redis", "redis://ops:" + PASSWORD + "@127.0.0.1:" + server.port(), "--swarm", "x");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--password-file").doesNotContain(PASSWORD);
    }

    @Test
    void drop_whileANodeIsAlive_refusedUnlessForced(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), PASSWORD);
        try (Colony live = Colony.builder().redis(server.uri()).swarm("busy").build()) {
            live.tasks().submit(TaskSpec.of("t", "work", new byte[] {1}));
            Captured refused = capture(
                    "swarm", "drop", "--redis", opsUri(), "--swarm", "busy", "--password-file", file.toString());
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("live nodes");
            assertThat(server.command("EXISTS colony:{busy}:s:task:t")).isEqualTo(":1");

            Captured forced = capture(
                    "swarm",
                    "drop",
                    "--redis",
                    opsUri(),
                    "--swarm",
                    "busy",
                    "--password-file",
                    file.toString(),
                    "--force");
            assertThat(forced.code()).as(forced.err()).isZero();
            assertThat(server.command("EXISTS colony:{busy}:s:task:t")).isEqualTo(":0");
        }
    }
}
