package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MainTest {
    @Test
    void version_printsColonyAndJdk() {
        Captured result = capture("--version");
        assertThat(result.code()).isZero();
        assertThat(result.out()).startsWith("colony ").contains("JDK 25");
    }

    /** Only the named command is built (ADR 0051): each is still found by name, and the list shows them all. */
    @Test
    void everyCommand_helpByName_andListedByColonyHelp() {
        String list = capture("--help").out();
        for (Class<?> command : Main.COMMANDS) {
            String name =
                    command.getAnnotation(picocli.CommandLine.Command.class).name();
            Captured help = capture(name, "--help");
            assertThat(help.code()).as(name).isZero();
            assertThat(help.out()).as(name).contains("Usage: colony " + name + " ");
            assertThat(list).contains("  " + name + " ");
        }
        assertThat(capture("help", "mcp").out()).startsWith("Usage: colony mcp");
    }

    @Test
    void noCommand_isAUsageError() {
        assertThat(capture().code()).isEqualTo(2);
    }

    @Test
    void unknownOption_isAUsageError() {
        assertThat(capture("--no-such-option").code()).isEqualTo(2);
    }

    @Test
    void bench_unknownScenario_isAUsageErrorNamingTheKnownOnes() {
        Captured result = capture("bench", "--scenario", "nope");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("unknown scenario 'nope'").contains("event-bus");
    }

    @Test
    void bench_zeroIterations_isAUsageError() {
        assertThat(capture("bench", "--iterations", "0").code()).isEqualTo(2);
    }

    @Test
    void bench_eventBusScenarios_writeVerifiedJsonInTheDocumentedSchema(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/bench.json");
        Captured result = capture(
                "bench",
                "-q",
                "--scenario",
                "event-bus,event-bus-concurrent",
                "--warmup",
                "1",
                "--iterations",
                "2",
                "--json",
                json.toString());

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        assertThat(root.get("backend").asString()).isEqualTo("embedded");
        assertThat(root.get("cpus").asInt()).isPositive();
        JsonNode scenarios = root.get("scenarios");
        assertThat(scenarios).hasSize(2);
        for (JsonNode scenario : scenarios) {
            assertThat(scenario.get("verified").get("observed").asLong())
                    .isEqualTo(scenario.get("verified").get("expected").asLong())
                    .isPositive();
            assertThat(scenario.get("throughput_per_sec").asDouble()).isPositive();
            assertThat(scenario.get("latency_us").get("max").asDouble())
                    .isGreaterThanOrEqualTo(
                            scenario.get("latency_us").get("p99").asDouble());
            assertThat(scenario.get("pass").asBoolean()).isTrue();
            for (String field : new String[] {"name", "operations", "iterations", "seconds", "target", "details"}) {
                assertThat(scenario.has(field)).as(field).isTrue();
            }
        }
        assertThat(scenarios.get(0).get("name").asString()).isEqualTo("event-bus");
        assertThat(scenarios.get(0).get("operations").asLong()).isEqualTo(26_000);
        assertThat(scenarios.get(1).get("operations").asLong()).isEqualTo(20_000);
    }

    @Test
    void bench_messengerScenario_everyMessageAndReplyVerifiedInEveryVariant(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("messenger.json");
        Captured result = capture(
                "bench",
                "-q",
                "--scenario",
                "messenger",
                "--warmup",
                "0",
                "--iterations",
                "1",
                "--json",
                json.toString());

        // pass also needs a throughput, which a cold JVM on a busy machine may miss: only counts are asserted
        JsonNode scenario = JsonMapper.builder()
                .build()
                .readTree(Files.readString(json))
                .get("scenarios")
                .get(0);
        assertThat(result.code()).as(result.out() + result.err()).isIn(0, 1);
        assertThat(scenario.get("name").asString()).isEqualTo("messenger");
        assertThat(scenario.get("operations").asLong()).isEqualTo(10_000);
        assertThat(scenario.get("verified").get("expected").asLong()).isEqualTo(40_000);
        assertThat(scenario.get("verified").get("observed").asLong()).isEqualTo(40_000);
        JsonNode details = scenario.get("details");
        for (JsonNode part : new JsonNode[] {
            details.get("codec_baseline"),
            details.get("envelope_500b"),
            details.get("envelope_500b").get("codec_baseline"),
            details.get("by_reference"),
            details.get("request_reply")
        }) {
            assertThat(part.get("verified").get("observed").asLong())
                    .isEqualTo(part.get("verified").get("expected").asLong())
                    .isPositive();
        }
        assertThat(details.get("message_bytes").asInt()).isBetween(4_000, 5_000);
        assertThat(details.get("envelope_500b").get("message_bytes").asInt()).isBetween(400, 600);
    }

    @Test
    void bench_snapshotScenario_restoresEveryCheckedSnapshotToEqualBytes(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("snapshot.json");
        Captured result = capture(
                "bench",
                "-q",
                "--scenario",
                "snapshot",
                "--warmup",
                "0",
                "--iterations",
                "1",
                "--json",
                json.toString());

        // exit 1 would be a missed speed target (cold, one iteration): only the verified counts are asserted
        assertThat(result.code()).as(result.out() + result.err()).isIn(0, 1);
        JsonNode scenario = JsonMapper.builder()
                .build()
                .readTree(Files.readString(json))
                .get("scenarios")
                .get(0);
        assertThat(scenario.get("name").asString()).isEqualTo("snapshot");
        assertThat(scenario.get("operations").asLong()).isEqualTo(1_000);
        // 10 checked at ~60 KB, 10 at ~100 KB, 2 at ~1 MB
        assertThat(scenario.get("verified").get("expected").asLong()).isEqualTo(22);
        assertThat(scenario.get("verified").get("observed").asLong()).isEqualTo(22);
        JsonNode details = scenario.get("details");
        assertThat(details.get("state").get("agents").asInt()).isEqualTo(100);
        assertThat(details.get("bytes_per_snapshot").asInt()).isBetween(50_000, 70_000);
        assertThat(details.get("state_1mb").get("bytes_per_snapshot").asInt()).isBetween(900_000, 1_100_000);
        assertThat(details.get("jackson_baseline").get("bytes_per_snapshot").asInt())
                .isPositive();
        assertThat(details.get("writer_hold_up")
                        .get("snapshots_taken_meanwhile")
                        .asLong())
                .isPositive();
    }
}
