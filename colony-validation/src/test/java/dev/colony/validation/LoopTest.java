package dev.colony.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The one warm-up/measure loop: which iterations count, what they record. */
class LoopTest {

    @Test
    void measure_warmupThenMeasured_timesOnlyTheMeasuredIterations() throws Exception {
        List<Integer> ran = new ArrayList<>();
        Measurement m = Loop.measure(new BenchSettings(2, 3, null), "test", 10, it -> {
            ran.add(it);
            return Loop.Tally.of(1_000_000L * (it + 1), it == 4 ? 9 : 10);
        });

        assertThat(ran).containsExactly(0, 1, 2, 3, 4);
        assertThat(m.iterations()).isEqualTo(3);
        assertThat(m.expected()).isEqualTo(50); // warm-up counts are verified too
        assertThat(m.observed()).isEqualTo(49);
        assertThat(m.verified()).isFalse();
        assertThat(m.medianSeconds()).isEqualTo(0.004); // iterations 2, 3, 4 took 3, 4, 5 ms
    }

    @Test
    void measure_aUnitLostInAWarmupIteration_failsTheVerification() throws Exception {
        Measurement m =
                Loop.measure(new BenchSettings(1, 2, null), "test", 10, it -> Loop.Tally.of(1_000, it == 0 ? 9 : 10));

        assertThat(m.iterations()).isEqualTo(2);
        assertThat(m.expected()).isEqualTo(30);
        assertThat(m.observed()).isEqualTo(29);
        assertThat(m.verified()).isFalse();
    }

    @Test
    void measure_latencyOfWarmupIterations_isThrownAway() throws Exception {
        Measurement m = Loop.measure(new BenchSettings(1, 2, null), "test", 1, it -> {
            Histogram latency = new Histogram(3_600_000_000_000L, 3);
            latency.recordValue(it == 0 ? 1_000_000_000L : 1_000);
            return Loop.Tally.of(1_000, 1, latency);
        });

        assertThat(m.latency.getTotalCount()).isEqualTo(2);
        assertThat(m.latencyUs().max()).isEqualTo(1.0);
        assertThat(m.perIteration().p50()).hasSize(2);
    }

    @Test
    void measure_anIterationWithItsOwnExpectedCount_isCheckedAgainstIt() throws Exception {
        Measurement m =
                Loop.measure(new BenchSettings(0, 2, null), "test", 1_000, it -> new Loop.Tally(1_000, 10, 10, null));

        assertThat(m.expected()).isEqualTo(20);
        assertThat(m.verified()).isTrue();
        assertThat(m.operations()).isEqualTo(1_000);
    }

    @Test
    void timeLatency_closesOneLatencyIterationPerMeasuredIteration() throws Exception {
        Measurement m = Loop.measure(new BenchSettings(0, 3, null), "test", 1, it -> Loop.Tally.of(1_000, 1));

        Loop.timeLatency(new BenchSettings(0, 3, null), m, latency -> latency.recordValue(2_000));

        assertThat(m.perIteration().p50()).containsExactly(2.0, 2.0, 2.0);
    }

    @Test
    void tally_negativeNanos_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> Loop.Tally.of(-5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-5");
    }
}
