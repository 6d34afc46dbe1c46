package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import dev.colony.state.SnapshotFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCommandTest {
    @TempDir
    Path dir;

    private Path sample(String name, String... options) {
        Path file = dir.resolve(name);
        String[] args = new String[options.length + 3];
        args[0] = "snapshot";
        args[1] = "sample";
        System.arraycopy(options, 0, args, 2, options.length);
        args[args.length - 1] = file.toString();
        Captured result = capture(args);
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("wrote " + file);
        return file;
    }

    private Path corrupted() throws IOException {
        Path file = sample("corrupt.snap");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
        return file;
    }

    private Path truncated() throws IOException {
        Path file = sample("truncated.snap");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        return file;
    }

    @Test
    void sample_writesTheScenarioStateInEachFormat() throws IOException {
        Snapshot binary = SnapshotCodec.decode(Files.readAllBytes(sample("s.snap")));
        Snapshot compressed = SnapshotCodec.decode(Files.readAllBytes(sample("c.snap", "--compress")));
        Path jsonFile = sample("s.json", "--json");
        Snapshot json = SnapshotCodec.decode(Files.readAllBytes(jsonFile));

        assertThat(binary.agents()).hasSize(100);
        assertThat(binary.tasks()).hasSize(50);
        assertThat(binary.memory()).hasSize(200);
        assertThat(binary.leaders())
                .singleElement()
                .satisfies(l -> assertThat(l.term()).isEqualTo(5));
        assertThat(SnapshotCodec.encode(compressed)).isEqualTo(SnapshotCodec.encode(binary));
        assertThat(SnapshotCodec.encode(json)).isEqualTo(SnapshotCodec.encode(binary));
        assertThat(Files.readString(jsonFile)).startsWith("{");
        assertThat(capture(
                                "snapshot",
                                "sample",
                                "--json",
                                "--compress",
                                dir.resolve("x").toString())
                        .code())
                .isEqualTo(2);
    }

    @Test
    void inspect_goodFile_printsFormatSizesCountsAndChecksumOk() {
        Path file = sample("s.snap", "--compress");

        Captured result = capture("snapshot", "inspect", file.toString());

        assertThat(result.code()).isZero();
        assertThat(result.out())
                .containsPattern("format +BINARY")
                .containsPattern("version +1")
                .containsPattern("compressed +yes")
                .containsPattern("agents +100")
                .containsPattern("tasks +50")
                .containsPattern("leader groups +1")
                .containsPattern("memory entries +200")
                .containsPattern("taken at +2026-11-27T12:00:00Z")
                .containsPattern("checksum +OK");
    }

    @Test
    void inspect_corruptedFile_printsBadWithTheReason_exit1() throws IOException {
        Captured result = capture("snapshot", "inspect", corrupted().toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).containsPattern("checksum +BAD: snapshot checksum mismatch");
    }

    @Test
    void inspect_truncatedFile_printsBadWithTheReason_exit1() throws IOException {
        Captured result = capture("snapshot", "inspect", truncated().toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).containsPattern("checksum +BAD: truncated snapshot");
    }

    @Test
    void verify_goodFiles_printOk() {
        for (Path file : new Path[] {sample("a.snap"), sample("b.json", "--json"), sample("c.snap", "--compress")}) {
            Captured result = capture("snapshot", "verify", file.toString());
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.out().strip()).isEqualTo("OK");
        }
    }

    @Test
    void verify_corruptedFile_exit1WithTheReasonOnStderr() throws IOException {
        Path file = corrupted();
        Captured result = capture("snapshot", "verify", file.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).doesNotContain("OK");
        assertThat(result.err()).contains(file.toString()).contains("checksum mismatch");
    }

    @Test
    void verify_truncatedFile_exit1WithTheReasonOnStderr() throws IOException {
        Captured result = capture("snapshot", "verify", truncated().toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("truncated snapshot");
    }

    @Test
    void verify_missingFile_exit1SayingSo() {
        Path missing = dir.resolve("nope.snap");
        Captured result = capture("snapshot", "verify", missing.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains(missing + ": no such file");
    }

    @Test
    void verify_noFile_isAUsageError() {
        assertThat(capture("snapshot", "verify").code()).isEqualTo(2);
        assertThat(capture("snapshot").code()).isEqualTo(2);
    }

    @Test
    void export_json_writesTheSameContentAsJson() throws IOException {
        Path file = sample("s.snap", "--compress");
        Path out = dir.resolve("out/s.json");

        Captured result = capture("snapshot", "export", "--json", file.toString(), out.toString());

        assertThat(result.code()).as(result.err()).isZero();
        byte[] json = Files.readAllBytes(out);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"colony-snapshot\"");
        assertThat(SnapshotCodec.inspect(json).format()).isEqualTo(SnapshotFormat.JSON);
        assertThat(SnapshotCodec.encode(SnapshotCodec.decode(json)))
                .isEqualTo(SnapshotCodec.encode(SnapshotCodec.decode(Files.readAllBytes(file))));
    }

    @Test
    void export_corruptedInput_exit1AndWritesNothing() throws IOException {
        Path out = dir.resolve("never.json");
        Captured result = capture("snapshot", "export", "--json", corrupted().toString(), out.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("checksum mismatch");
        assertThat(out).doesNotExist();
    }

    @Test
    void export_withoutAFormat_isAUsageError() {
        Path file = sample("s.snap");
        assertThat(capture(
                                "snapshot",
                                "export",
                                file.toString(),
                                dir.resolve("o").toString())
                        .code())
                .isEqualTo(2);
    }
}
