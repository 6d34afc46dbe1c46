package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code colony bench} with no scenario: the whole suite end to end, and the report options on a file. */
class BenchSuiteTest {
    static final String FIXTURE = "src/test/resources/bench/quick-run.json";
    static final List<String> SCENARIOS = List.of(
            "event-bus", "event-bus-concurrent", "messenger", "snapshot", "load", "plugins", "serve", "serve-fanout");

    @Test
    void bench_allScenarios_everyCountVerifiedWithSpreadBaselineAndReports(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("run.json");
        Path md = dir.resolve("report.md");
        Path html = dir.resolve("report.html");
        Captured result = capture(
                "bench",
                "--quick",
                "--warmup",
                "0",
                "--iterations",
                "2",
                "--agents",
                "20",
                "--json",
                json.toString(),
                "--markdown",
                md.toString(),
                "--html",
                html.toString());

        // every unit verified, so 0: missed targets and goals (a cold JVM, a shared machine) do not fail it
        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(result.err())
                .contains("[1/" + SCENARIOS.size() + "] event-bus")
                .contains("[5/" + SCENARIOS.size() + "] load")
                .doesNotContain("\r");
        assertThat(result.out())
                .startsWith("Note: --quick figures")
                .contains("Colony's goals: ")
                .contains("x base");
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        for (String field : List.of("colony_version", "jdk", "cpus", "os", "started_at", "backend")) {
            assertThat(root.has(field)).as(field).isTrue();
        }
        assertThat(root.get("quick").asBoolean()).isTrue();
        JsonNode environment = root.get("environment");
        assertThat(environment.get("git_commit").asString()).matches("[0-9a-f]{4,40}|unknown");
        assertThat(environment.get("jvm_flags").isArray()).isTrue();
        assertThat(environment.has("load_average_start")).isTrue();
        assertThat(environment.has("load_average_end")).isTrue();
        JsonNode scenarios = root.get("scenarios");
        assertThat(scenarios).hasSize(SCENARIOS.size());
        for (int i = 0; i < SCENARIOS.size(); i++) {
            JsonNode s = scenarios.get(i);
            assertThat(s.get("name").asString()).isEqualTo(SCENARIOS.get(i));
            for (String field : List.of(
                    "operations",
                    "iterations",
                    "seconds",
                    "throughput_per_sec",
                    "latency_us",
                    "verified",
                    "target",
                    "pass",
                    "details",
                    "per_iteration",
                    "baseline")) {
                assertThat(s.has(field)).as(s.get("name") + " " + field).isTrue();
            }
            assertVerified(s.get("verified"), s.get("name").asString());
            JsonNode baseline = s.get("baseline");
            assertVerified(baseline.get("verified"), s.get("name") + " baseline");
            assertThat(baseline.get("ratio").asDouble()).isPositive();
            assertThat(s.get("iterations").asInt()).isEqualTo(2);
            assertThat(s.get("per_iteration").get("throughput_per_sec")).hasSize(2);
            // plugins times whole rounds only: no latency per iteration
            assertThat(s.get("per_iteration").get("p99"))
                    .hasSize(SCENARIOS.get(i).equals("plugins") ? 0 : 2);
            assertThat(baseline.get("throughput_per_iteration")).hasSize(2);
        }
        // the exact counts of each scenario's work (with --agents 20 for load)
        assertThat(scenarios.get(0).get("verified").get("expected").asLong()).isEqualTo(2 * 2 * 26_000L);
        assertThat(scenarios.get(1).get("verified").get("expected").asLong()).isEqualTo(2 * 2 * 20_000L);
        assertThat(scenarios.get(2).get("verified").get("expected").asLong()).isEqualTo(2 * 40_000L);
        assertThat(scenarios.get(3).get("verified").get("expected").asLong()).isEqualTo(2 * 22L);
        assertThat(scenarios.get(4).get("operations").asLong()).isEqualTo(20 * 100L);
        // plugins: 10,000 events x 5 subscribers per round; 2 rounds each of the compiled, Java and no-filter
        // variants and 1 interpreted round in the headline's counts
        assertThat(scenarios.get(5).get("verified").get("expected").asLong()).isEqualTo(7 * 50_000L);
        // serve: 8,000 claim+complete cycles and 8,000 handoff cycles per iteration, each checked against the colony
        assertThat(scenarios.get(6).get("verified").get("expected").asLong()).isEqualTo(2 * 2 * 8_000L);
        // serve-fanout, --quick: 1,000 events x 100 SSE subscribers per iteration, each delivery checked in the child
        // JVM
        assertThat(scenarios.get(7).get("verified").get("expected").asLong()).isEqualTo(2 * 1_000L * 100);
        assertThat(scenarios.get(7).get("details").get("subscribers").asInt()).isEqualTo(100);
        assertThat(Files.readString(md)).contains("## Summary").contains("## `load`");
        assertThat(Files.readString(html)).contains("<svg").contains("id=\"scenario-load\"");
    }

    @Test
    void bench_fromFile_rendersReportsAndComparesWithoutRunning(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("r.md");
        Path html = dir.resolve("r.html");
        Captured result = capture(
                "bench",
                "--from",
                FIXTURE,
                "--compare",
                FIXTURE,
                "--markdown",
                md.toString(),
                "--html",
                html.toString());

        assertThat(result.err()).doesNotContain("[1/" + SCENARIOS.size() + "]");
        assertThat(result.out())
                .contains("scenario")
                .contains("Compared with " + FIXTURE)
                .contains("0 regression(s), 0 improvement(s), 30 within spread.");
        assertThat(Files.readString(md)).startsWith("# Colony validation report");
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>");
        // every unit of the file verified: its missed targets and goals do not fail the run without the flag
        assertThat(result.code()).isZero();
    }

    @Test
    void bench_compareWithMissingFile_isAUsageErrorNamingIt() {
        Captured result = capture("bench", "--from", FIXTURE, "--compare", "no-such.json");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("no such file: 'no-such.json'");
    }

    @Test
    void bench_fromAFileThatIsNotAReport_isAUsageError(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[1, 2, 3]");
        Captured result = capture("bench", "--from", bad.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("is not a colony bench JSON report");
    }

    @Test
    void bench_fromWithRunOptions_isAUsageError() {
        assertThat(capture("bench", "--from", FIXTURE, "--json", "x.json").code())
                .isEqualTo(2);
        Captured result = capture("bench", "--from", FIXTURE, "--scenario", "load");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--from reads a finished run");
    }

    private static void assertVerified(JsonNode verified, String what) {
        assertThat(verified.get("observed").asLong())
                .as(what)
                .isEqualTo(verified.get("expected").asLong())
                .isPositive();
    }
}
