package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.redis.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's logging binding (ADR 0023), in a JVM of its own: SLF4J's warnings are printed once per JVM,
 * at the first logger, so an in-process test would miss them whenever another test logged first.
 */
class LoggingTest {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // the child's bound below, plus the test's own work
    void demo_inRedis_noSlf4jWarningAndColonyLinesThroughTheBinding(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path err = dir.resolve("stderr");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(
                        java,
                        "-Xshare:off",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "demo",
                        "--redis",
                        redis.server().uri(),
                        "--swarm",
                        "logging-test",
                        "--agents",
                        "5",
                        "--tasks",
                        "50",
                        "--quiet")
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(err.toFile())
                .start();
        // a generous bound for a hung child on a loaded machine, not a budget: the demo takes seconds
        boolean exited = child.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            child.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(err);

        assertThat(exited).as("the demo exited; stderr: %s", lines).isTrue();
        assertThat(child.exitValue()).as("exit code; stderr: %s", lines).isZero();
        assertThat(lines).noneMatch(line -> line.contains("SLF4J"));
        // Colony's System.Logger lines reach slf4j-simple, one line each: the demo elects a coordinator
        assertThat(lines).anyMatch(line -> line.startsWith("INFO dev.colony.state - leader elected: group "));
    }
}
