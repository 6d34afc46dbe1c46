package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --timeout} holds even when the run never returns by itself. */
class TimeoutTest {
    @Test
    void demo_runThatNeverFinishes_watchdogEndsItWithExit1AndOneLine() {
        Captured result = capture("demo", "-q", "--timeout", "1", "--test-stall");

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("colony demo: gave up after 1 s (--timeout)");
        assertThat(result.err()).doesNotContain("\tat ");
    }

    @Test
    void demo_bigRunWithATinyTimeout_exit1SayingItTimedOut() {
        Captured result = capture("demo", "-q", "--timeout", "1", "--tasks", "500000");

        assertThat(result.code()).isEqualTo(1);
        // the run's own deadline check reports it; if cleanup overran the grace, the watchdog does
        assertThat(result.err()).containsAnyOf("demo timed out after 1 s", "gave up after 1 s");
        assertThat(result.err()).doesNotContain("\tat ");
    }
}
