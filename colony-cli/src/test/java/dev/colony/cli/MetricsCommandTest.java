package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MetricsCommandTest {

    /** The samples of a Prometheus text exposition: series (name plus labels) to value; comments skipped. */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            assertThat(space).as(line).isPositive();
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    @Test
    void metrics_prometheus_printsTheWorkloadsCounts() {
        Captured result = capture("metrics", "--events", "500", "--messages", "50", "--tasks", "5", "--snapshots", "3");

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("# TYPE colony_bus_published_total counter");
        Map<String, Double> samples = samples(result.out());
        assertThat(samples.get("colony_bus_handled_total")).isEqualTo(1000.0); // two subscribers, 500 events
        assertThat(samples.get("colony_messenger_sent_total")).isEqualTo(50.0);
        assertThat(samples.get("colony_messenger_marshal_seconds_count")).isEqualTo(50.0);
        assertThat(samples.get("colony_snapshot_duration_seconds_count")).isEqualTo(3.0);
        assertThat(samples.get("colony_snapshot_duration_seconds_sum")).isPositive();
        assertThat(samples).containsKey("colony_snapshot_duration_seconds{quantile=\"0.99\"}");
    }

    @Test
    void metrics_jsonToFile_writesEveryMetric(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/metrics.json");
        Captured result =
                capture("metrics", "--format", "json", "--out", file.toString(), "--events", "100", "--messages", "10");

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).isEmpty();
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(file));
        Map<String, JsonNode> byName = new HashMap<>();
        root.get("metrics").forEach(metric -> byName.put(metric.get("name").asString(), metric));
        assertThat(byName.get("colony.bus.handled").get("value").asLong()).isEqualTo(200);
        assertThat(byName.get("colony.bus.handled").get("type").asString()).isEqualTo("counter");
        assertThat(byName.get("colony.snapshot.duration").get("count").asLong()).isEqualTo(20);
        assertThat(byName.get("colony.agents.running").get("type").asString()).isEqualTo("gauge");
    }

    @Test
    void metrics_badOptions_areUsageErrors() {
        assertThat(capture("metrics", "--events", "0").code()).isEqualTo(2);
        Captured badFormat = capture("metrics", "--format", "xml");
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("xml");
    }
}
