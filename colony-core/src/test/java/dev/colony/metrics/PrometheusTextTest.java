package dev.colony.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.colony.state.ManualClock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exporter's output, parsed back line by line with the text format's grammar. */
class PrometheusTextTest {

    /** A parsed exposition: TYPE and HELP per family, value per sample (name plus labels). */
    record Exposition(Map<String, String> types, Map<String, String> help, Map<String, Double> samples) {}

    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\"})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");

    /** Parses strictly: every line must be HELP, TYPE or a sample, and every sample must follow its TYPE. */
    static Exposition parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        assertThat(text).endsWith("\n");
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                assertThat(types.put(m.group(1), m.group(2)))
                        .as("one TYPE per family: " + line)
                        .isNull();
            } else if ((m = HELP.matcher(line)).matches()) {
                help.put(m.group(1), m.group(2));
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                boolean typed = types.keySet().stream()
                        .anyMatch(family -> name.equals(family)
                                || name.equals(family + "_total")
                                || name.equals(family + "_count")
                                || name.equals(family + "_sum"));
                assertThat(typed).as("sample after its TYPE: " + line).isTrue();
                String key = name + (m.group(2) == null ? "" : m.group(2));
                assertThat(samples.put(key, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))))
                        .as("one sample per series: " + line)
                        .isNull();
            } else {
                fail("not a line of the Prometheus text format: '" + line + "'");
            }
        }
        return new Exposition(types, help, samples);
    }

    @Test
    void format_everyKind_parsesBackToTheRegistryValues() {
        MetricsRegistry registry = MetricsRegistry.create(new ManualClock());
        registry.counter("colony.bus.published", "Events published.").add(42);
        registry.gauge("colony.bus.queue.depth", "Events waiting.", () -> 7);
        Timer timer = registry.timer("colony.snapshot.duration", "Snapshot time.");
        for (int i = 0; i < 1000; i++) {
            timer.record(200_000); // 200 µs
        }
        timer.record(5_000_000); // 5 ms
        registry.latency(
                "colony.messenger.marshal",
                "Marshal time.",
                () -> new LatencySnapshot(10, 1_000, 2_000, 3_000, 4_000, 5_000));

        Exposition parsed = parse(PrometheusText.format(registry.snapshot()));

        assertThat(parsed.types())
                .containsEntry("colony_bus_published_total", "counter") // the 0.0.4 format types the _total name
                .containsEntry("colony_bus_queue_depth", "gauge")
                .containsEntry("colony_snapshot_duration_seconds", "summary")
                .containsEntry("colony_snapshot_duration_max_seconds", "gauge")
                .containsEntry("colony_messenger_marshal_seconds", "summary");
        assertThat(parsed.help()).containsEntry("colony_bus_published_total", "Events published.");
        Map<String, Double> samples = parsed.samples();
        assertThat(samples)
                .containsEntry("colony_bus_published_total", 42.0)
                .containsEntry("colony_bus_queue_depth", 7.0)
                .containsEntry("colony_snapshot_duration_seconds_count", 1001.0)
                .containsEntry("colony_messenger_marshal_seconds_count", 10.0)
                .containsEntry("colony_messenger_marshal_seconds{quantile=\"0.99\"}", 3.0e-6)
                .containsEntry("colony_messenger_marshal_max_seconds", 5.0e-6);
        assertThat(samples.get("colony_snapshot_duration_seconds_sum")).isCloseTo(0.205, within(1e-9));
        assertThat(samples.get("colony_snapshot_duration_seconds{quantile=\"0.5\"}"))
                .isCloseTo(200e-6, within(2e-6));
        assertThat(samples.get("colony_snapshot_duration_max_seconds")).isCloseTo(5e-3, within(5e-5));
        assertThat(samples).doesNotContainKey("colony_messenger_marshal_seconds_sum"); // the source keeps none
    }

    @Test
    void format_emptyTimer_hasCountZeroAndNoQuantiles() {
        MetricsRegistry registry = MetricsRegistry.create();
        registry.timer("app.work", "Work.");

        Exposition parsed = parse(PrometheusText.format(registry.snapshot()));

        assertThat(parsed.samples()).containsEntry("app_work_seconds_count", 0.0);
        assertThat(parsed.samples().keySet()).noneMatch(key -> key.contains("quantile"));
    }

    private static org.assertj.core.data.Offset<Double> within(double offset) {
        return org.assertj.core.data.Offset.offset(offset);
    }
}
