package dev.colony.validation.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.validation.BenchSettings;
import dev.colony.validation.ScenarioResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The serve-fanout scenario small (20 subscribers in the child JVM, 200 events an iteration): every delivery
 * verified with exact counts, and a subscriber that misses one event fails the verification by exactly one, so
 * the check cannot pass vacuously. Speed is not asserted.
 */
class FanOutScenarioTest {
    private static final int SUBSCRIBERS = 20;
    private static final int EVENTS = 200;

    @Test
    void run_smallFanOut_verifiesEveryEventAtEverySubscriber() throws Exception {
        ScenarioResult result = new FanOutScenario(new FanOutScenario.Size(SUBSCRIBERS, 1_000, EVENTS, null))
                .run(new BenchSettings(1, 2, null));

        // one warm-up and two measured iterations, each 200 events x 20 subscribers
        assertThat(result.verified().expected()).isEqualTo(3L * SUBSCRIBERS * EVENTS);
        assertThat(result.verified().observed()).isEqualTo(3L * SUBSCRIBERS * EVENTS);
        assertThat(result.operations()).isEqualTo(EVENTS);
        assertThat(result.pass()).isTrue();
        assertThat(result.latencyUs().p50()).isPositive();
        assertThat(result.baseline().verified().expected()).isEqualTo(3L * EVENTS);
        assertThat(result.baseline().verified().ok()).isTrue();
        Map<String, Object> details = result.details();
        assertThat(count(details, "subscribers")).isEqualTo(SUBSCRIBERS);
        assertThat(count(details, "wrong_order")).isZero();
        assertThat(count(details, "broken_frames")).isZero();
        assertThat(count(details, "ended_streams")).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> publishes = (Map<String, Object>) details.get("publishes");
        // fan-out and floor rounds, warm-up included
        assertThat(((Number) publishes.get("expected")).longValue()).isEqualTo(6L * EVENTS);
        assertThat(((Number) publishes.get("observed")).longValue()).isEqualTo(6L * EVENTS);
        assertThat(((Number) details.get("server_cpu_us_per_delivery")).doubleValue())
                .isPositive();
        assertThat(((Number) details.get("deliveries_per_sec")).doubleValue()).isPositive();
    }

    @Test
    void run_oneSubscriberMissesOneEvent_verificationFailsByExactlyOne() throws Exception {
        // subscriber 7 ignores event 100 of the first iteration, as if the server had never sent it
        ScenarioResult result = new FanOutScenario(
                        new FanOutScenario.Size(SUBSCRIBERS, 1_000, EVENTS, new long[] {7, 100}))
                .run(new BenchSettings(0, 1, null));

        assertThat(result.verified().expected()).isEqualTo((long) SUBSCRIBERS * EVENTS);
        assertThat(result.verified().observed()).isEqualTo((long) SUBSCRIBERS * EVENTS - 1);
        assertThat(result.verified().ok()).isFalse();
        // the next event was not the one it expected: counted as out of order, and not counted as delivered
        assertThat(count(result.details(), "wrong_order")).isEqualTo(1);
    }

    private static long count(Map<String, Object> details, String key) {
        return ((Number) details.get(key)).longValue();
    }
}
