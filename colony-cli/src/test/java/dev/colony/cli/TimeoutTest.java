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
        assertThat(result.err()).containsAnyOf("colony demo: timed out after 1 s (--timeout)", "gave up after 1 s");
        assertThat(result.err()).doesNotContain("\tat ");
    }

    @Test
    void demo_manyAgentsAndATinyTimeout_deadlineCoversSpawningAndClosing_exit1AndOneLine() {
        Captured result = capture("demo", "-q", "--timeout", "2", "--agents", "20000", "--tasks", "500000");

        assertThat(result.code()).isEqualTo(1);
        // log lines (simplelogger.properties: "LEVEL logger - message") are not the run's output
        // the run's own deadline check ends it, spawning included; on a machine so loaded that closing 20,000
        // agents overruns the 2 s grace, the watchdog's line is the one line instead
        assertThat(result.err().lines().filter(line -> !line.matches("(INFO|WARN|ERROR) [\\w.]+ - .*")))
                .singleElement()
                .asString()
                .satisfiesAnyOf(
                        line -> assertThat(line)
                                .startsWith("colony demo: timed out after 2 s (--timeout) while ")
                                .contains("of 20000 agents spawned"),
                        line -> assertThat(line).startsWith("colony demo: gave up after 2 s (--timeout) plus "));
        assertThat(result.out()).as("no summary after a timeout").isEmpty();
    }
}
