package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.cli.args.RedisUri;
import dev.colony.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code colony serve --redis} with a password: from {@code --password-file} or the environment, never in the
 * URI, as for the other commands that take {@code --redis}. The server authenticates as a Redis user whose only
 * way in is that password.
 */
class ServeRedisTest {
    private static final String PASSWORD = "s3rve-s3cret";
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        redis.command("ACL SETUSER served on >" + PASSWORD + " ~* &* +@all");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static String servedUri() {
        return "redis://served@127.0.0.1:" + redis.port();
    }

    /** Serves the swarm with {@code env} and {@code passwordOptions}; a command through it, as user served. */
    private static void serveAndUse(Path dir, Map<String, String> env, String swarm, String... passwordOptions)
            throws Exception {
        List<String> args = new ArrayList<>(
                List.of("--port", "0", "--redis", servedUri(), "--swarm", swarm, "--data", dir.toString()));
        args.addAll(List.of(passwordOptions));
        try (ServeProcess serve = ServeProcess.start(env, args.toArray(String[]::new))) {
            Captured put = capture(
                    "memory",
                    "put",
                    "cfg",
                    "k",
                    "1",
                    "--url",
                    serve.uri().toString(),
                    "--token-file",
                    dir.resolve("initial-admin-token").toString());
            assertThat(put.code()).as(put.err()).isZero();
            assertThat(redis.command("CLIENT LIST")).contains("user=served");
            assertThat(redis.command("KEYS colony:{" + swarm + "}:*")).doesNotStartWith("*0");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void serve_passwordFile_authenticatesToRedis(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
        serveAndUse(dir, Map.of(), "servefile", "--password-file", file.toString());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void serve_passwordInTheEnvironment_authenticatesToRedis(@TempDir Path dir) throws Exception {
        serveAndUse(dir, Map.of(RedisUri.PASSWORD_ENV, PASSWORD), "serveenv");
    }

    @Test
    void serve_wrongPassword_failsToStartWithOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "not-it\n");
        Captured wrong = capture(
                "serve",
                "--port",
                "0",
                "--redis",
                servedUri(),
                "--swarm",
                "servewrong",
                "--password-file",
                file.toString(),
                "--data",
                dir.toString());
        assertThat(wrong.code()).as(wrong.out() + wrong.err()).isEqualTo(1);
        assertThat(wrong.err().strip().lines()).hasSize(1);
        assertThat(wrong.err()).startsWith("colony serve: ").doesNotContain("not-it");
        assertThat(redis.command("KEYS colony:{servewrong}:*")).isEqualTo("*0");
    }

    @Test
    void serve_badPasswordOptions_areUsageErrors(@TempDir Path dir) {
        Path data = dir.resolve("data");
        Captured inUri = capture(
                "serve",
                "--redis",
                "redis://served:" + PASSWORD + "@127.0.0.1:" + redis.port(),
                "--data",
                data.toString());
        assertThat(inUri.code()).isEqualTo(2);
        assertThat(inUri.err()).contains("--redis must not hold a password").doesNotContain(PASSWORD);

        Captured unreadable = capture(
                "serve",
                "--redis",
                servedUri(),
                "--password-file",
                dir.resolve("missing").toString(),
                "--data",
                data.toString());
        assertThat(unreadable.code()).isEqualTo(2);
        assertThat(unreadable.err()).contains("--password-file", "cannot be read");

        Captured alone = capture("serve", "--password-file", dir.resolve("pw").toString(), "--data", data.toString());
        assertThat(alone.code()).isEqualTo(2);
        assertThat(alone.err()).contains("--password-file goes with --redis");
        assertThat(data).doesNotExist();
        assertThat(redis.command("KEYS colony:{default}:*")).isEqualTo("*0");
    }
}
