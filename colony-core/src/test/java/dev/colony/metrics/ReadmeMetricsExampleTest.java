package dev.colony.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.alert.AlertRule;
import dev.colony.alert.Alerts;
import dev.colony.alert.Signal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The README's "Metrics and alerts" example, kept compiling and true. */
class ReadmeMetricsExampleTest {

    @Test
    void readmeExample_timerAlertAndPrometheusText() {
        List<String> pages = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
        // --- README example starts
        try (Colony colony = Colony.embedded()) {
            Timer work = colony.metrics().timer("app.work", "Time per unit of work.");
            Alerts alerts = Alerts.builder(colony.metrics())
                    .rules(AlertRule.defaults())
                    .rule(AlertRule.above("work-p99-high", Signal.percentile("app.work", 99), 1_000_000)
                            .withHoldFor(Duration.ofSeconds(5))
                            .withClearThreshold(800_000))
                    .publishTo(colony.bus()) // as colony.alert.<rule>
                    .listener(alert -> pages.add(alert.message()))
                    .build()
                    .start(Duration.ofSeconds(1));

            work.time(() -> "one unit of work");
            String scrape = PrometheusText.format(colony.metrics().snapshot());
            new MicrometerBinder(colony.metrics()).bindTo(meterRegistry);
            // --- README example ends
            assertThat(scrape).contains("app_work_seconds_count 1").contains("colony_bus_published_total");
            assertThat(meterRegistry.get("app.work").functionTimer().count()).isEqualTo(1.0);
            alerts.close();
        }
        assertThat(pages).isEmpty(); // one fast unit of work fires nothing
    }
}
