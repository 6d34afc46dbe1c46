package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./colony} launcher's AOT cache (ADR 0051), run with {@code COLONY_JAR} set to a small jar whose main
 * class ({@link LauncherProbe}) reports whether the JVM got a cache: a missing, stale or unreadable cache never
 * stops a command, it starts without one (and the JVM's complaint goes to standard error, never to standard output,
 * which {@code colony mcp} uses for MCP).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LauncherTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Path jar() {
        return dir.resolve("probe.jar");
    }

    private Path aotDir() {
        return dir.resolve("aot");
    }

    /** Writes the probe jar; {@code extra} adds an entry, so the jar is another one (size and time). */
    private void writeJar(boolean extra) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        Path classFile = Path.of(LauncherProbe.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .resolve(LauncherProbe.class.getName().replace('.', '/') + ".class");
        try (OutputStream file = Files.newOutputStream(jar());
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(LauncherProbe.class.getName().replace('.', '/') + ".class"));
            out.write(Files.readAllBytes(classFile));
            out.closeEntry();
            if (extra) {
                out.putNextEntry(new JarEntry("extra.txt"));
                out.write("another build".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    private Run launch(String... args) throws Exception {
        return launch(Map.of(), args);
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "bash", Path.of("../colony").toAbsolutePath().normalize().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("COLONY_JAR", jar().toString());
        pb.environment().put("COLONY_AOT_DIR", aotDir().toString());
        pb.environment().remove("COLONY_AOT");
        pb.environment().putAll(env);
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    private Path cachePath() throws Exception {
        Run path = launch("aot", "--path");
        assertThat(path.code()).as(path.err()).isZero();
        return Path.of(path.out().strip());
    }

    @Test
    void missingCache_startsPlainly_andOnlyServeOrMcpTrainOne() throws Exception {
        writeJar(false);

        Run run = launch("hello", "world");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("probe ok hello world aot=false\n");
        assertThat(aotDir()).doesNotExist();
    }

    @Test
    void aot_trainsACache_theNextStartUsesIt() throws Exception {
        writeJar(false);

        Run train = launch("aot");
        Run run = launch("hello");

        assertThat(train.code()).as(train.err()).isZero();
        assertThat(cachePath()).isNotEmptyFile();
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("probe ok hello aot=true\n");
        assertThat(run.err()).doesNotContain("[aot]");
    }

    /**
     * A rebuilt jar has another key, so the old cache is not used: the JVM would not refuse it (it loads the old
     * jar's classes from it, ADR 0051). The next training replaces the old cache.
     */
    @Test
    void rebuiltJar_otherKey_startsPlainlyUntilTrainedAgain() throws Exception {
        writeJar(false);
        assertThat(launch("aot").code()).isZero();
        Path old = cachePath();

        writeJar(true); // at once: within the same second as a fast rebuild
        Path current = cachePath();
        Run stale = launch("hello");
        Run retrain = launch("aot");
        Run trained = launch("hello");

        assertThat(current).isNotEqualTo(old);
        assertThat(stale.code()).as(stale.err()).isZero();
        assertThat(stale.out()).isEqualTo("probe ok hello aot=false\n");
        assertThat(retrain.code()).as(retrain.err()).isZero();
        assertThat(old).doesNotExist();
        assertThat(trained.out()).isEqualTo("probe ok hello aot=true\n");
    }

    @Test
    void unreadableCache_startsPlainly() throws Exception {
        writeJar(false);
        Path cache = cachePath();
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "not a cache");

        Run run = launch("hello");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("probe ok hello aot=true\n");
        assertThat(run.err()).contains("[aot]");
    }

    @Test
    void firstMcpStart_trainsACacheInTheBackground_forTheNextStart() throws Exception {
        writeJar(false);
        Path cache = cachePath();

        Run first = launch("mcp");
        await().atMost(Duration.ofMinutes(3))
                .until(() -> Files.isRegularFile(cache) && !Files.exists(aotDir().resolve("training.lock")));
        Run next = launch("mcp");

        assertThat(first.out()).isEqualTo("probe ok mcp aot=false\n");
        assertThat(next.out()).isEqualTo("probe ok mcp aot=true\n");
    }

    @Test
    void failedTraining_noCacheAndMarked_startsStillPlain() throws Exception {
        writeJar(false);
        Path cache = cachePath();

        Run train = launch(Map.of("PROBE_FAIL_TRAINING", "1"), "aot");
        Run run = launch("mcp");

        assertThat(train.code()).isEqualTo(1);
        assertThat(train.err()).contains("colony aot: training failed");
        assertThat(cache).doesNotExist();
        assertThat(Path.of(cache + ".failed")).exists(); // so serve/mcp do not train again at every start
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("probe ok mcp aot=false\n");
    }

    @Test
    void aot_unknownOption_isAUsageError() throws Exception {
        writeJar(false);

        Run run = launch("aot", "--bogus");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("colony aot: unknown option '--bogus'");
    }
}
