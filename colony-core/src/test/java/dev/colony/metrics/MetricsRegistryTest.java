package dev.colony.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.state.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
    private final ManualClock clock = new ManualClock();
    private final MetricsRegistry registry = MetricsRegistry.create(clock);

    @Test
    void counter_askedTwice_isTheSameCounter() {
        Counter first = registry.counter("app.jobs", "Jobs.");
        first.add(3);
        registry.counter("app.jobs", "Jobs.").increment();

        assertThat(registry.counter("app.jobs", "Jobs.").count()).isEqualTo(4);
        assertThat(registry.read("app.jobs")).contains(new Reading.Count("app.jobs", "Jobs.", 4));
    }

    @Test
    void register_nameOfAnotherKind_failsNamingTheKind() {
        registry.gauge("app.level", "Level.", () -> 1);

        assertThatThrownBy(() -> registry.counter("app.level", "Level."))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'app.level' is already registered as a gauge");
        assertThatThrownBy(() -> registry.timer("app.level", "x")).hasMessageContaining("gauge");
        assertThatThrownBy(() -> registry.gauge("app.level", "again", () -> 2))
                .hasMessageContaining("already registered");
    }

    @Test
    void register_badNames_failQuotingTheName() {
        for (String bad : new String[] {"", "App.jobs", "app..jobs", ".app", "app.", "app jobs", "app-jobs", "1app"}) {
            assertThatThrownBy(() -> registry.counter(bad, "x"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> registry.counter("a".repeat(129), "x")).hasMessageContaining("at most 128");
        assertThatThrownBy(() -> registry.counter(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void counter_negativeAmount_fails() {
        Counter counter = registry.counter("app.jobs", "Jobs.");
        assertThatThrownBy(() -> counter.add(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void snapshot_readsFunctionMetricsAndGauges_sortedByName() {
        AtomicLong source = new AtomicLong(7);
        registry.counter("b.count", "B.", source::get);
        registry.gauge("a.level", "A.", () -> 2.5);

        MetricsSnapshot snapshot = registry.snapshot();

        assertThat(snapshot.readings())
                .containsExactly(new Reading.Gauge("a.level", "A.", 2.5), new Reading.Count("b.count", "B.", 7));
        assertThat(snapshot.at()).isEqualTo(clock.instant());
        assertThat(snapshot.cumulative()).isTrue();
    }

    @Test
    void snapshot_sourceThrows_isLeftOutAndCounted() {
        registry.gauge("a.broken", "Broken.", () -> {
            throw new IllegalStateException("boom");
        });
        registry.gauge("b.fine", "Fine.", () -> 1);

        MetricsSnapshot snapshot = registry.snapshot();

        assertThat(snapshot.get("a.broken")).isEmpty();
        assertThat(snapshot.get("b.fine")).isPresent();
        assertThat(registry.failedReads()).isEqualTo(1);
    }

    @Test
    void since_countsAndTimerPercentilesOfTheIntervalOnly() {
        Counter counter = registry.counter("app.jobs", "Jobs.");
        Timer timer = registry.timer("app.latency", "Latency.");
        registry.gauge("app.level", "Level.", () -> counter.count() * 10.0);
        counter.add(5);
        for (int i = 0; i < 100; i++) {
            timer.record(1_000_000); // 1 ms
        }
        MetricsSnapshot first = registry.snapshot();
        clock.advance(Duration.ofSeconds(2));
        counter.add(3);
        for (int i = 0; i < 10; i++) {
            timer.record(Duration.ofNanos(2_000));
        }
        MetricsSnapshot second = registry.snapshot();

        MetricsSnapshot interval = second.since(first);

        assertThat(interval.cumulative()).isFalse();
        assertThat(interval.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(interval.get("app.jobs")).contains(new Reading.Count("app.jobs", "Jobs.", 3));
        assertThat(interval.get("app.level")).contains(new Reading.Gauge("app.level", "Level.", 80.0));
        Reading.Latency windowed = (Reading.Latency) interval.get("app.latency").orElseThrow();
        assertThat(windowed.latency().count()).isEqualTo(10);
        assertThat(windowed.latency().max()).isBetween(1_980L, 2_020L); // two significant digits
        assertThat(windowed.sumNanos()).hasValue(20_000);
        Reading.Latency total = (Reading.Latency) second.get("app.latency").orElseThrow();
        assertThat(total.latency().count()).isEqualTo(110);
        assertThat(total.latency().p99()).isBetween(990_000L, 1_010_000L);
    }

    @Test
    void since_latencySource_staysCumulative() {
        registry.latency("app.external", "External.", () -> new LatencySnapshot(4, 1, 2, 3, 4, 5));
        MetricsSnapshot first = registry.snapshot();

        Reading.Latency reading = (Reading.Latency)
                registry.snapshot().since(first).get("app.external").orElseThrow();

        assertThat(reading.windowed()).isFalse();
        assertThat(reading.latency()).isEqualTo(new LatencySnapshot(4, 1, 2, 3, 4, 5));
        assertThat(reading.sumNanos()).isEmpty();
    }

    @Test
    void since_counterThatWentDown_reportsItsCurrentValue() {
        AtomicLong source = new AtomicLong(10);
        registry.counter("app.restarted", "Restarted.", source::get);
        MetricsSnapshot first = registry.snapshot();
        source.set(4);

        assertThat(registry.snapshot().since(first).get("app.restarted"))
                .contains(new Reading.Count("app.restarted", "Restarted.", 4));
    }

    @Test
    void since_wrongOrderOrIntervalSnapshots_fail() {
        MetricsSnapshot first = registry.snapshot();
        clock.advance(Duration.ofSeconds(1));
        MetricsSnapshot second = registry.snapshot();

        assertThatThrownBy(() -> first.since(second))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after this one");
        MetricsSnapshot interval = second.since(first);
        assertThatThrownBy(() -> second.since(interval)).hasMessageContaining("cumulative");
    }

    @Test
    void timer_time_recordsEvenWhenTheWorkThrows() {
        Timer timer = registry.timer("app.work", "Work.");
        assertThat(timer.time(() -> "done")).isEqualTo("done");
        assertThatThrownBy(() -> timer.time(() -> {
                    throw new IllegalStateException("failed work");
                }))
                .hasMessage("failed work");

        assertThat(timer.snapshot().count()).isEqualTo(2);
    }

    @Test
    void remove_freesTheName_forAnotherRegistration() {
        registry.gauge("app.level", "Level.", () -> 1);

        assertThat(registry.remove("app.level")).isTrue();
        assertThat(registry.remove("app.level")).isFalse();
        assertThat(registry.read("app.level")).isEmpty();
        registry.counter("app.level", "Now a counter.").increment();
        assertThat(registry.counter("app.level", "Now a counter.").count()).isEqualTo(1);
    }
}
