package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCommandTest {
    private static final String NEEDLE =
            Path.of("..", "examples", "plugins", "c", "needle_filter.wasm").toString();

    @TempDir
    Path dir;

    @Test
    void validate_examplePlugin_exitZeroWithItsChecksum() throws IOException {
        Captured run = Captured.capture("plugin", "validate", NEEDLE);

        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("valid ABI v0 plugin (filter)")
                .contains(Files.readString(Path.of(NEEDLE + ".sha256")).strip());
    }

    @Test
    void validate_notWasm_exitOneWithTheReason() throws IOException {
        Path garbage = Files.writeString(dir.resolve("x.wasm"), "hello");

        Captured run = Captured.capture("plugin", "validate", garbage.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("colony plugin validate: not a WebAssembly module");
    }

    @Test
    void validate_missingFile_exitOneNamingIt() {
        Captured run =
                Captured.capture("plugin", "validate", dir.resolve("nope.wasm").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("nope.wasm").contains("no such file");
    }

    @Test
    void inspect_examplePlugin_importsExportsAndFlags() {
        Captured run = Captured.capture("plugin", "inspect", NEEDLE, "--config", "vip");

        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("entry points filter")
                .contains("imports      colony.log (function)")
                .contains("subject-only false")
                .contains("valid        yes");
    }

    @Test
    void bench_examplePlugin_reportsCallsAndDecisions() {
        Captured run = Captured.capture("plugin", "bench", NEEDLE, "--config", "vip", "--events", "500");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("calls        500").contains("0 failed");
    }

    @Test
    void bench_neitherFileNorScenario_usageError() {
        Captured run = Captured.capture("plugin", "bench");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("give either FILE or --scenario");
    }
}
