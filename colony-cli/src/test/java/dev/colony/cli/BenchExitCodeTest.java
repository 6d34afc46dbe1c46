package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code colony bench}'s exit codes and the files it reads, on fixed result files through {@code --from}
 * (nothing is run or timed): lost work always fails, missed goals fail only with {@code --fail-on-goals}.
 */
class BenchExitCodeTest {
    static final Path FIXTURE = Path.of(BenchSuiteTest.FIXTURE);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void bench_fromFileWithMissedGoals_exitsZeroWithoutTheFlag() {
        Captured result = capture("bench", "--from", FIXTURE.toString());

        assertThat(result.code()).as(result.out()).isZero();
        assertThat(result.out()).contains("Colony's goals: 2 of 14 met, 12 missed; 3 not measured in this run.");
    }

    @Test
    void bench_fromFileWithMissedGoals_exitsOneWithFailOnGoals() {
        assertThat(capture("bench", "--from", FIXTURE.toString(), "--fail-on-goals")
                        .code())
                .isEqualTo(1);
    }

    @Test
    void bench_fromFileWithLostWork_exitsOneWithoutTheFlag(@TempDir Path dir) throws Exception {
        ObjectNode root = fixture();
        ObjectNode verified = (ObjectNode) root.get("scenarios").get(2).get("verified");
        verified.put("observed", verified.get("expected").asLong() - 1);
        Path lossy = write(dir, root);

        Captured result = capture("bench", "--from", lossy.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).contains("WORK LOST OR WRONG: messenger: 119,999 of 120,000");
    }

    @Test
    void bench_fromFileWithDuplicatesInAVariant_exitsOne(@TempDir Path dir) throws Exception {
        ObjectNode root = fixture();
        ObjectNode verified = (ObjectNode)
                root.get("scenarios").get(2).get("details").get("envelope_500b").get("verified");
        verified.put("observed", verified.get("expected").asLong() + 3);

        Captured result = capture("bench", "--from", write(dir, root).toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).contains("WORK LOST OR WRONG: messenger.envelope_500b.verified:");
    }

    @Test
    void bench_fromAnOldFileWithoutSpreadBaselineOrEnvironment_readsAndCompares(@TempDir Path dir) throws Exception {
        ObjectNode root = fixture();
        root.remove("environment");
        root.remove("quick");
        for (JsonNode scenario : root.get("scenarios")) {
            ((ObjectNode) scenario).remove("per_iteration");
            ((ObjectNode) scenario).remove("baseline");
        }
        Path old = write(dir, root);

        Captured result = capture(
                "bench",
                "--from",
                old.toString(),
                "--compare",
                FIXTURE.toString(),
                "--html",
                dir.resolve("r.html").toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("commit not recorded").contains("within spread");
        assertThat(Files.readString(dir.resolve("r.html"))).contains("not recorded");
    }

    @Test
    void bench_fromAQuickRun_printsTheNotForQuotingNote(@TempDir Path dir) throws Exception {
        ObjectNode root = fixture();
        root.put("quick", true);

        Captured result = capture("bench", "--from", write(dir, root).toString(), "-q");

        assertThat(result.out()).startsWith("Note: --quick figures").contains("not for quoting");
    }

    @Test
    void bench_help_documentsFailOnGoalsAndTheExitCodes() {
        Captured result = capture("bench", "--help");

        assertThat(result.out())
                .contains("--fail-on-goals")
                .contains("1 when a unit of work was lost, duplicated or wrong");
    }

    private static ObjectNode fixture() throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(FIXTURE));
    }

    private static Path write(Path dir, JsonNode root) throws Exception {
        Path file = dir.resolve("run-" + System.nanoTime() + ".json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }
}
