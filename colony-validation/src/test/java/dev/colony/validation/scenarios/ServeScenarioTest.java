package dev.colony.validation.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.validation.BenchSettings;
import dev.colony.validation.ScenarioResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The serve scenario on one measured iteration: both kinds of cycle verified against the colony, and the
 * handoff cycles' figures beside the headline's (ADR 0066). Speed is not asserted.
 */
class ServeScenarioTest {

    @Test
    void run_oneIteration_verifiesTwoRequestAndHandoffCycles() throws Exception {
        ScenarioResult result = new ServeScenario().run(new BenchSettings(0, 1, null));

        assertThat(result.verified().expected()).isEqualTo(2 * 8_000L);
        assertThat(result.verified().observed()).isEqualTo(2 * 8_000L);
        assertThat(result.pass()).isTrue();
        assertThat(result.baseline().verified().ok()).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> handoff = (Map<String, Object>) result.details().get("handoff");
        @SuppressWarnings("unchecked")
        Map<String, Object> verified = (Map<String, Object>) handoff.get("verified");
        assertThat(((Number) verified.get("expected")).longValue()).isEqualTo(8_000L);
        assertThat(((Number) verified.get("observed")).longValue()).isEqualTo(8_000L);
        // one request per cycle, and more per thread: its first claim and its claim that finds nothing
        assertThat(((Number) handoff.get("requests_per_cycle")).doubleValue()).isGreaterThan(1.0);
        assertThat(((Number) handoff.get("over_floor")).doubleValue()).isPositive();
    }
}
