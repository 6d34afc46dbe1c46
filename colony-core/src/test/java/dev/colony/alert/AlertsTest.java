package dev.colony.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.metrics.Counter;
import dev.colony.metrics.MetricsRegistry;
import dev.colony.metrics.Timer;
import dev.colony.state.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Alert rules driven by a fake clock: every step is an explicit {@code evaluate(now)}. */
class AlertsTest {
    private final ManualClock clock = new ManualClock();
    private final MetricsRegistry registry = MetricsRegistry.create(clock);
    private final AtomicLong depth = new AtomicLong();
    private final List<Alert> heard = new CopyOnWriteArrayList<>();

    AlertsTest() {
        registry.gauge("test.depth", "Queue depth.", depth::get);
    }

    private Alerts alerts(AlertRule rule) {
        return Alerts.builder(registry)
                .rule(rule)
                .listener(heard::add)
                .clock(clock)
                .build();
    }

    /** Sets the depth, moves the clock by {@code seconds}, evaluates. */
    private List<Alert> step(Alerts alerts, long value, long seconds) {
        depth.set(value);
        clock.advance(Duration.ofSeconds(seconds));
        return alerts.evaluate(clock.instant());
    }

    @Test
    void rule_conditionHeldForItsDuration_firesOnceWithTheValue() {
        Alerts alerts = alerts(
                AlertRule.above("depth-high", Signal.value("test.depth"), 100).withHoldFor(Duration.ofSeconds(5)));
        Instant began = clock.instant().plusSeconds(1);

        assertThat(step(alerts, 150, 1)).isEmpty();
        assertThat(alerts.state("depth-high")).isEqualTo(AlertState.PENDING);
        assertThat(step(alerts, 160, 2)).isEmpty(); // held 2 s
        List<Alert> fired = step(alerts, 170, 3); // held 5 s

        assertThat(fired).hasSize(1);
        Alert alert = fired.getFirst();
        assertThat(alert.state()).isEqualTo(AlertState.FIRING);
        assertThat(alert.value()).isEqualTo(170);
        assertThat(alert.threshold()).isEqualTo(100);
        assertThat(alert.since()).isEqualTo(began);
        assertThat(alert.age()).isEqualTo(Duration.ofSeconds(5));
        assertThat(alert.message()).contains("depth-high FIRING: test.depth = 170 > 100");
        assertThat(alerts.state("depth-high")).isEqualTo(AlertState.FIRING);
        assertThat(heard).containsExactly(alert);
    }

    @Test
    void rule_conditionBreaksBeforeItsDuration_neverFires() {
        Alerts alerts = alerts(
                AlertRule.above("depth-high", Signal.value("test.depth"), 100).withHoldFor(Duration.ofSeconds(5)));

        step(alerts, 150, 1);
        step(alerts, 50, 3); // back to OK
        step(alerts, 150, 1); // a new pending episode starts here
        assertThat(step(alerts, 150, 4)).isEmpty(); // only 4 s into the new episode

        assertThat(alerts.state("depth-high")).isEqualTo(AlertState.PENDING);
        assertThat(heard).isEmpty();
    }

    @Test
    void rule_stillFiring_isNotNotifiedAgain() {
        Alerts alerts = alerts(AlertRule.above("depth-high", Signal.value("test.depth"), 100));

        assertThat(step(alerts, 150, 1)).hasSize(1);
        for (int i = 0; i < 10; i++) {
            assertThat(step(alerts, 200 + i, 60)).isEmpty();
        }

        assertThat(heard).hasSize(1);
        assertThat(alerts.state("depth-high")).isEqualTo(AlertState.FIRING);
    }

    @Test
    void rule_betweenClearAndThreshold_keepsFiring_thenResolvesPastTheClearThreshold() {
        Alerts alerts = alerts(
                AlertRule.above("depth-high", Signal.value("test.depth"), 100).withClearThreshold(80));
        step(alerts, 150, 1);

        assertThat(step(alerts, 90, 1)).isEmpty(); // below the threshold, above the clear threshold
        assertThat(alerts.state("depth-high")).isEqualTo(AlertState.FIRING);
        List<Alert> resolved = step(alerts, 80, 1);

        assertThat(resolved).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.RESOLVED);
            assertThat(alert.value()).isEqualTo(80);
            assertThat(alert.message()).contains("RESOLVED: test.depth = 80 <= 80");
        });
        assertThat(alerts.state("depth-high")).isEqualTo(AlertState.OK);
        assertThat(heard).extracting(Alert::state).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void rule_flapping_isRateLimitedToOneFiringPerMinInterval() {
        Alerts alerts = alerts(
                AlertRule.above("depth-high", Signal.value("test.depth"), 100).withMinInterval(Duration.ofSeconds(30)));

        assertThat(step(alerts, 150, 1)).hasSize(1); // t=1 FIRING
        assertThat(step(alerts, 10, 1)).hasSize(1); // t=2 RESOLVED
        assertThat(step(alerts, 150, 1)).isEmpty(); // t=3 fires again, but within 30 s: held back
        assertThat(step(alerts, 10, 1)).isEmpty(); // t=4 resolves: its FIRING was never sent, so no RESOLVED
        assertThat(step(alerts, 150, 1)).isEmpty(); // t=5 held back again
        List<Alert> late = step(alerts, 160, 26); // t=31: 30 s after the last FIRING, still firing

        assertThat(late).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.value()).isEqualTo(160);
            assertThat(alert.since()).isEqualTo(clock.instant().minusSeconds(26));
        });
        assertThat(alerts.suppressed()).isEqualTo(2);
        assertThat(heard)
                .extracting(Alert::state)
                .containsExactly(AlertState.FIRING, AlertState.RESOLVED, AlertState.FIRING);
    }

    @Test
    void rule_withRepeatEvery_remindsWhileFiring() {
        Alerts alerts = alerts(AlertRule.above("depth-high", Signal.value("test.depth"), 100)
                .withMinInterval(Duration.ofSeconds(10))
                .withRepeatEvery(Duration.ofSeconds(20)));

        assertThat(step(alerts, 150, 1)).hasSize(1);
        assertThat(step(alerts, 150, 10)).isEmpty();
        assertThat(step(alerts, 170, 10))
                .singleElement()
                .extracting(Alert::value)
                .isEqualTo(170.0);
        assertThat(step(alerts, 150, 19)).isEmpty();
        assertThat(step(alerts, 150, 1)).hasSize(1);
    }

    @Test
    void rateRule_throughputBelowThreshold_firesAndResolvesWithHysteresis() {
        Counter published = registry.counter("test.published", "Published.");
        Alerts alerts = alerts(AlertRule.below("throughput-low", Signal.rate("test.published"), 50_000)
                .withClearThreshold(60_000)
                .withHoldFor(Duration.ofSeconds(5)));

        assertThat(alerts.evaluate(clock.instant())).isEmpty(); // no rate yet at the first evaluation
        for (int second = 0; second < 5; second++) {
            published.add(10_000); // 10k/s
            clock.advance(Duration.ofSeconds(1));
            alerts.evaluate(clock.instant());
        }
        assertThat(alerts.state("throughput-low")).isEqualTo(AlertState.PENDING); // held 4 s
        published.add(10_000);
        clock.advance(Duration.ofSeconds(1));
        assertThat(alerts.evaluate(clock.instant()))
                .singleElement()
                .satisfies(alert -> assertThat(alert.value()).isEqualTo(10_000.0));
        published.add(55_000); // above the threshold, below the clear threshold
        clock.advance(Duration.ofSeconds(1));
        assertThat(alerts.evaluate(clock.instant())).isEmpty();
        published.add(120_000); // 60k/s over two seconds
        clock.advance(Duration.ofSeconds(2));

        assertThat(alerts.evaluate(clock.instant()))
                .singleElement()
                .satisfies(alert -> assertThat(alert.state()).isEqualTo(AlertState.RESOLVED));
    }

    @Test
    void ratioRule_errorRateOverTheWindow_fires() {
        Counter failed = registry.counter("test.failed", "Failed.");
        Counter handled = registry.counter("test.handled", "Handled.");
        Alerts alerts = alerts(AlertRule.above("errors-high", Signal.ratio("test.failed", "test.handled"), 0.05));
        failed.add(100); // a bad past does not count: only the window does
        handled.add(100);
        alerts.evaluate(clock.instant());

        handled.add(1_000);
        failed.add(50);
        clock.advance(Duration.ofSeconds(1));
        assertThat(alerts.evaluate(clock.instant())).isEmpty(); // 5% is not above 5%
        clock.advance(Duration.ofSeconds(1));
        assertThat(alerts.evaluate(clock.instant())).isEmpty(); // nothing handled: no value, no change
        handled.add(1_000);
        failed.add(60);
        clock.advance(Duration.ofSeconds(1));

        assertThat(alerts.evaluate(clock.instant()))
                .singleElement()
                .satisfies(alert -> assertThat(alert.value()).isEqualTo(0.06));
    }

    @Test
    void percentileRule_timerWindow_firesOnRecentValuesOnly() {
        Timer timer = registry.timer("test.marshal", "Marshal.");
        Alerts alerts = alerts(AlertRule.above("marshal-p99-high", Signal.percentile("test.marshal", 99), 100_000));
        alerts.evaluate(clock.instant());
        for (int i = 0; i < 100; i++) {
            timer.record(500_000);
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(alerts.evaluate(clock.instant()))
                .singleElement()
                .satisfies(alert -> assertThat(alert.value()).isBetween(495_000.0, 505_000.0));
        for (int i = 0; i < 100; i++) {
            timer.record(10_000);
        }
        clock.advance(Duration.ofSeconds(1));

        assertThat(alerts.evaluate(clock.instant()))
                .singleElement()
                .extracting(Alert::state)
                .isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void alerts_publishedOnTheBus_underColonyAlertRule() {
        List<Event> events = new CopyOnWriteArrayList<>();
        try (EventBus bus = EventBus.create()) {
            bus.subscribe("colony.alert.*", events::add);
            Alerts alerts = Alerts.builder(registry)
                    .rule(AlertRule.above("depth-high", Signal.value("test.depth"), 100))
                    .publishTo(bus)
                    .build();

            List<Alert> fired = step(alerts, 150, 1);

            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.subject().value()).isEqualTo("colony.alert.depth-high");
                assertThat(event.payload()).isEqualTo(fired.getFirst());
            });
        }
    }

    @Test
    void listenerThatThrows_isCounted_andOtherListenersStillHear() {
        Alerts alerts = Alerts.builder(registry)
                .rule(AlertRule.above("depth-high", Signal.value("test.depth"), 100))
                .listener(alert -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(heard::add)
                .build();

        step(alerts, 150, 1);

        assertThat(alerts.listenerFailures()).isEqualTo(1);
        assertThat(heard).hasSize(1);
        assertThat(alerts.recent()).isEqualTo(heard);
    }

    @Test
    void start_evaluatesOnItsOwnThread_untilClosed() {
        Alerts alerts = alerts(AlertRule.above("depth-high", Signal.value("test.depth"), 100));
        depth.set(500);
        try (alerts) {
            alerts.start(Duration.ofMillis(5));
            await().atMost(Duration.ofSeconds(30)).until(() -> !heard.isEmpty());
            assertThatThrownBy(() -> alerts.start(Duration.ofMillis(5))).isInstanceOf(IllegalStateException.class);
        }
        assertThat(heard).singleElement().extracting(Alert::value).isEqualTo(500.0);
        alerts.close(); // idempotent
    }

    @Test
    void badRules_failWithClearMessages() {
        Signal depthSignal = Signal.value("test.depth");
        assertThatThrownBy(() -> AlertRule.above("Depth High", depthSignal, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Depth High'")
                .hasMessageContaining("colony.alert.<name>");
        assertThatThrownBy(() -> AlertRule.above("a.b", depthSignal, 1)).hasMessageContaining("'a.b'");
        assertThatThrownBy(() -> AlertRule.above("", depthSignal, 1)).hasMessageContaining("''");
        assertThatThrownBy(() -> AlertRule.above("x", depthSignal, Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> AlertRule.above("x", depthSignal, 10).withClearThreshold(11))
                .hasMessageContaining("clearThreshold")
                .hasMessageContaining("11");
        assertThatThrownBy(() -> AlertRule.below("x", depthSignal, 10).withClearThreshold(9))
                .hasMessageContaining("clearThreshold");
        assertThatThrownBy(() -> AlertRule.above("x", depthSignal, 10).withHoldFor(Duration.ofSeconds(-1)))
                .hasMessageContaining("holdFor");
        assertThatThrownBy(() -> AlertRule.above("x", depthSignal, 10)
                        .withMinInterval(Duration.ofSeconds(10))
                        .withRepeatEvery(Duration.ofSeconds(5)))
                .hasMessageContaining("repeatEvery");
        assertThatThrownBy(() -> Signal.percentile("test.marshal", 98)).hasMessageContaining("98");
        assertThatThrownBy(() -> Signal.rate("Bad Name")).hasMessageContaining("'Bad Name'");
    }

    @Test
    void build_ruleOnUnknownOrWrongKindOfMetric_failsNamingIt() {
        registry.counter("test.count", "Count.");
        assertThatThrownBy(() -> alerts(AlertRule.above("x", Signal.value("test.nothing"), 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'test.nothing', which is not registered")
                .hasMessageContaining("test.depth");
        assertThatThrownBy(() -> alerts(AlertRule.above("x", Signal.rate("test.depth"), 1)))
                .hasMessageContaining("rate(test.depth) cannot read 'test.depth', a gauge metric");
        assertThatThrownBy(() -> alerts(AlertRule.above("x", Signal.percentile("test.count", 99), 1)))
                .hasMessageContaining("cannot read 'test.count', a count metric");
        assertThatThrownBy(() -> Alerts.builder(registry)
                        .rule(AlertRule.above("x", Signal.value("test.depth"), 1))
                        .rule(AlertRule.above("x", Signal.value("test.count"), 1))
                        .build())
                .hasMessageContaining("two alert rules are named 'x'");
    }

    @Test
    void evaluate_timeGoingBack_fails() {
        Alerts alerts = alerts(AlertRule.above("x", Signal.value("test.depth"), 1));
        alerts.evaluate(clock.instant());

        assertThatThrownBy(() -> alerts.evaluate(clock.instant().minusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the previous evaluation");
        assertThatThrownBy(() -> alerts.state("nope")).hasMessageContaining("no alert rule named 'nope'");
    }

    @Test
    void message_percentilesInTimeUnits_ratesAsNumbers() {
        Instant at = clock.instant();
        AlertRule p99 = AlertRule.above("snap", Signal.percentile("test.snap", 99), 500_000);
        AlertRule rate = AlertRule.below("low", Signal.rate("test.count"), 50_000);

        assertThat(new Alert(p99, AlertState.FIRING, 139_460_607, at, at).message())
                .startsWith("snap FIRING: p99(test.snap) = 139.5 ms > 500 µs");
        assertThat(new Alert(rate, AlertState.FIRING, 14_030.25, at, at).message())
                .startsWith("low FIRING: rate(test.count) = 14030.3 < 50000");
    }
}
