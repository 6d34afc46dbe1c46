package dev.colony.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Progress lines: redrawn in place on a terminal, plain lines anywhere else. */
class ProgressTest {

    @Test
    void iteration_onATerminal_redrawsOneLineAndEndsItBeforeTheNextLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        progress.scenario("[1/1] snapshot");

        progress.iteration(1, 1_000, 2_000_000_000L);
        progress.iteration(2, 1_000, 1_000_000_000L);
        progress.line("done");

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("\r\033[2K[1/1] snapshot: measured iteration 1, 1.00k units in 2.00 s (500/s)")
                .contains("\r\033[2K[1/1] snapshot: measured iteration 2, 1.00k units in 1.00 s (1.00k/s)")
                .endsWith("(1.00k/s)" + System.lineSeparator() + "done" + System.lineSeparator());
    }

    @Test
    void iteration_notOnATerminal_neverWritesACarriageReturn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        progress.scenario("[1/1] load");

        for (int i = 0; i < 100; i++) {
            progress.iteration(i + 1, 10, 1_000);
        }
        progress.line("done");

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .doesNotContain("\r")
                .endsWith("done" + System.lineSeparator());
    }

    @Test
    void measurement_insideTheScope_reportsEachIteration() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        progress.scenario("[1/1] x");
        Measurement m = new Measurement(5);

        ScopedValue.where(Progress.CURRENT, progress).run(() -> m.iteration(1_000_000, 5, 5));
        m.iteration(1_000_000, 5, 5); // outside the scope: not reported

        assertThat(bytes.toString(StandardCharsets.UTF_8)).containsOnlyOnce("measured iteration");
    }
}
