package dev.colony.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exit code rests on verification, not on speed: a slow run on a loaded machine whose every unit verified
 * exits 0 unless {@code --fail-on-goals}; lost work always exits 1.
 */
class OutcomeTest {

    @Test
    void exitCode_everyUnitVerifiedButTargetAndGoalsMissed_isZeroWithoutFailOnGoals() {
        Outcome outcome = Outcome.of(report(result(10, 10, 1.0)));

        assertThat(outcome.targetsMissed()).containsExactly("event-bus");
        assertThat(outcome.goalsMissed()).isNotEmpty();
        assertThat(outcome.exitCode(false)).isZero();
        assertThat(outcome.exitCode(true)).isEqualTo(1);
    }

    @Test
    void exitCode_aUnitLost_isOneEvenWithEveryTargetMet() {
        Outcome outcome = Outcome.of(report(result(10, 9, 1e12)));

        assertThat(outcome.lostWork()).containsExactly("event-bus: 9 of 10");
        assertThat(outcome.exitCode(false)).isEqualTo(1);
    }

    private static BenchReport report(ScenarioResult result) {
        return new BenchReport("0", "25", 2, "Linux", "2026-12-07T00:00:00Z", "embedded", List.of(result));
    }

    private static ScenarioResult result(long expected, long observed, double throughput) {
        return new ScenarioResult(
                "event-bus",
                10,
                1,
                1,
                throughput,
                new ScenarioResult.Latency(1, 1, 1, 1, 1),
                new ScenarioResult.Verified(expected, observed),
                ScenarioResult.ORIGINAL_TARGET,
                false,
                Map.of());
    }
}
