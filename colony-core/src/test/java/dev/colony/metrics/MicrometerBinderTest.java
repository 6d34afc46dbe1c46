package dev.colony.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MicrometerBinderTest {

    @Test
    void bindTo_everyKind_readsLiveValuesThroughMicrometer() {
        MetricsRegistry metrics = MetricsRegistry.create();
        Counter published = metrics.counter("colony.bus.published", "Events published.");
        AtomicLong depth = new AtomicLong(3);
        metrics.gauge("colony.bus.queue.depth", "Events waiting.", depth::get);
        Timer timer = metrics.timer("colony.snapshot.duration", "Snapshot time.");
        metrics.latency(
                "colony.messenger.marshal",
                "Marshal.",
                () -> new LatencySnapshot(10, 1_000, 2_000, 3_000, 4_000, 5_000));
        SimpleMeterRegistry micrometer = new SimpleMeterRegistry();

        new MicrometerBinder(metrics).bindTo(micrometer);
        published.add(5);
        depth.set(9);
        timer.record(2_000_000);
        timer.record(4_000_000);

        FunctionCounter counter = micrometer.get("colony.bus.published").functionCounter();
        assertThat(counter.count()).isEqualTo(5.0);
        assertThat(counter.getId().getDescription()).isEqualTo("Events published.");
        Gauge gauge = micrometer.get("colony.bus.queue.depth").gauge();
        assertThat(gauge.value()).isEqualTo(9.0);
        FunctionTimer functionTimer = micrometer.get("colony.snapshot.duration").functionTimer();
        assertThat(functionTimer.count()).isEqualTo(2.0);
        assertThat(functionTimer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6.0);
        TimeGauge max = micrometer.get("colony.snapshot.duration.max").timeGauge();
        assertThat(max.value(TimeUnit.MILLISECONDS)).isBetween(3.96, 4.04);
        TimeGauge p99 = micrometer
                .get("colony.messenger.marshal.percentile")
                .tag("phi", "0.99")
                .timeGauge();
        assertThat(p99.value(TimeUnit.NANOSECONDS)).isEqualTo(3_000.0);
        assertThat(micrometer
                        .get("colony.messenger.marshal.count")
                        .functionCounter()
                        .count())
                .isEqualTo(10.0);
        assertThat(micrometer.find("colony.snapshot.duration.percentile").timeGauges())
                .hasSize(4);
    }
}
