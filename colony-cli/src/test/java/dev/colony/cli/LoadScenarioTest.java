package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LoadScenarioTest {
    private static final int AGENTS = 50;

    @Test
    void bench_loadScenario_everyOpMessageUpdateAndSnapshotVerified(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("load.json");
        Captured result = capture(
                "bench",
                "-q",
                "--scenario",
                "load",
                "--agents",
                String.valueOf(AGENTS),
                "--warmup",
                "0",
                "--iterations",
                "1",
                "--json",
                json.toString());

        // exit 1 would be a missed speed target on a cold JVM: only the verified counts are asserted
        assertThat(result.code()).as(result.out() + result.err()).isIn(0, 1);
        JsonNode scenario = JsonMapper.builder()
                .build()
                .readTree(Files.readString(json))
                .get("scenarios")
                .get(0);
        assertThat(scenario.get("name").asString()).isEqualTo("load");
        assertThat(scenario.get("operations").asLong()).isEqualTo(AGENTS * 100L);
        assertThat(scenario.get("verified").get("observed").asLong())
                .isEqualTo(scenario.get("verified").get("expected").asLong());
        JsonNode details = scenario.get("details");
        assertThat(details.get("agents").asInt()).isEqualTo(AGENTS);
        JsonNode counts = details.get("counts");
        assertCount(counts, "ops", AGENTS * 100L);
        assertCount(counts, "events_delivered", AGENTS * 100L * 2);
        assertCount(counts, "messages_received", AGENTS * 10L);
        assertCount(counts, "memory_updates", AGENTS * 5L);
        assertCount(counts, "keys_at_version", AGENTS);
        JsonNode snapshots = counts.get("snapshots");
        assertThat(snapshots.get("expected").asLong()).isPositive();
        assertThat(snapshots.get("observed").asLong())
                .isEqualTo(snapshots.get("expected").asLong());
        assertThat(details.has("spawn_ms")).isTrue();
        assertThat(details.has("heap_per_agent_bytes")).isTrue();
    }

    @Test
    void bench_loadScenario_zeroAgents_isAUsageError() {
        Captured result = capture("bench", "-q", "--scenario", "load", "--agents", "0");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--agents");
    }

    @Test
    void bench_loadScenario_tooManyAgents_isAUsageError() {
        assertThat(capture("bench", "-q", "--scenario", "load", "--agents", "100001")
                        .code())
                .isEqualTo(2);
    }

    private static void assertCount(JsonNode counts, String name, long expected) {
        assertThat(counts.get(name).get("expected").asLong()).as(name).isEqualTo(expected);
        assertThat(counts.get(name).get("observed").asLong()).as(name).isEqualTo(expected);
    }
}
