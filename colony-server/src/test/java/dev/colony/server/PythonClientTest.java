package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.state.Durability;
import dev.colony.state.Task;
import dev.colony.state.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the unittest suite of the Python client ({@code clients/python}) with {@code python3} against a
 * durable server, restarting the server on the same port and data directory when the suite asks (it
 * writes {@code restart} into {@code $COLONY_CONTROL}; the file is deleted once the new server listens),
 * then checks the suite's effects through the Java API.
 */
class PythonClientTest {
    private static final Path CLIENT_DIR =
            Path.of("..", "clients", "python").toAbsolutePath().normalize();

    // replaced by the watcher thread on a restart; read by the test after the watcher has terminated
    private volatile Colony colony;
    private volatile ColonyServer server;

    @Test
    void unittestSuite_againstDurableServer_passesAndLeavesItsEffects(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("state");
        Path control = Files.createDirectories(dir.resolve("control"));
        start(data, 0);
        int port = server.port();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(
                () -> restartOnRequest(control.resolve("restart"), data, port), 50, 50, TimeUnit.MILLISECONDS);
        try {
            ProcessBuilder builder = new ProcessBuilder("python3", "-m", "unittest", "-v", "test_colony_client")
                    .directory(CLIENT_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("unittest.log").toFile());
            builder.environment().put("COLONY_URL", server.uri().toString());
            builder.environment().put("COLONY_TOKEN", "admin");
            builder.environment().put("COLONY_CONTROL", control.toString());
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process python = builder.start();
            python.getOutputStream().close();
            assertThat(python.waitFor(10, TimeUnit.MINUTES))
                    .as("the suite ended")
                    .isTrue();
            String log = Files.readString(dir.resolve("unittest.log"), StandardCharsets.UTF_8);
            System.out.println(log);
            assertThat(python.exitValue()).as(log).isZero();
            assertThat(log).contains("Ran 10 tests").doesNotContain("skipped");
        } finally {
            watcher.shutdownNow();
            watcher.awaitTermination(1, TimeUnit.MINUTES);
        }
        try {
            List<Task> jobs = colony.tasks().byStatus(TaskStatus.COMPLETED).stream()
                    .filter(t -> t.spec().type().equals("acme_pyjob"))
                    .toList();
            assertThat(jobs).hasSize(200);
            assertThat(colony.tasks().byStatus(TaskStatus.QUEUED)).isEmpty();
            assertThat(Json.fromStored(colony.memory()
                                    .get("acme_py", "counter")
                                    .orElseThrow()
                                    .value())
                            .asInt())
                    .isEqualTo(12 * 25);
        } finally {
            stop();
        }
    }

    private void start(Path data, int port) {
        colony = Colony.builder().durability(Durability.in(data)).build();
        server = ColonyServer.builder()
                .port(port)
                .colony(colony)
                .guard(new TestGuard())
                .limits(ServerLimits.defaults())
                .build()
                .start();
    }

    private void stop() {
        server.close();
        colony.close();
    }

    private void restartOnRequest(Path request, Path data, int port) {
        if (!Files.exists(request)) {
            return;
        }
        stop();
        start(data, port);
        try {
            Files.delete(request);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
