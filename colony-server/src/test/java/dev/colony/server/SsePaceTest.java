package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The write pace of busy SSE streams (ADR 0078): the busy streams over the budget, bounded. */
class SsePaceTest {
    @Test
    void nanos_fewBusyStreams_isTheOneMillisecondLinger() {
        SsePace pace = new SsePace(20_000);
        assertThat(pace.nanos()).isEqualTo(SsePace.MIN_NANOS);
        pace.busy();
        pace.busy();
        assertThat(pace.nanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void nanos_manyBusyStreams_growsWithThemUpToTheMaximum() {
        SsePace pace = new SsePace(20_000);
        for (int i = 0; i < 500; i++) {
            pace.busy();
        }
        assertThat(pace.nanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(25)); // 500 / 20,000 per second
        for (int i = 0; i < 1_500; i++) {
            pace.busy();
        }
        assertThat(pace.nanos()).isEqualTo(SsePace.MAX_NANOS);
        for (int i = 0; i < 2_000; i++) {
            pace.idle();
        }
        assertThat(pace.busyStreams()).isZero();
        assertThat(pace.nanos()).isEqualTo(SsePace.MIN_NANOS);
    }

    @Test
    void constructor_budgetBelowOne_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> new SsePace(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writesPerSecond")
                .hasMessageContaining("0");
    }
}
