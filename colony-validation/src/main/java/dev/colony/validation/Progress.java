package dev.colony.validation;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a bench run on standard error: a line when a scenario or variant starts, and a line per
 * measured iteration so a long scenario never goes silent. Iteration lines are limited to one a second
 * (a bus scenario measures 50 iterations in well under a second, and a line each would bury the rest);
 * on a terminal they redraw one line with {@code \r} instead, and in a file or pipe each is a plain line.
 *
 * <p>Thread-safe: iterations may be recorded from the scenario's worker threads. {@link #CURRENT} carries
 * the run's progress to {@link Measurement} without threading it through every scenario; an iteration
 * recorded outside its scope (or on a thread that does not inherit it) is simply not reported.
 */
public final class Progress {
    /** The progress of the scenario running in this scope. */
    public static final ScopedValue<Progress> CURRENT = ScopedValue.newInstance();

    private static final long ITERATION_LINE_EVERY_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private String context = "";
    private long lastLineNanos = System.nanoTime();
    private boolean redrawing;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress to standard error, redrawn in place only when standard error is a terminal. */
    public static Progress toStandardError() {
        java.io.Console console = System.console();
        // since JDK 22 System.console() may be non-null when redirected; isTerminal() tells the two apart
        return new Progress(System.err, console != null && console.isTerminal());
    }

    /** Starts a scenario: iteration lines are prefixed with {@code context}. */
    public synchronized void scenario(String context) {
        this.context = context;
    }

    /** One line of progress, ending any redrawn iteration line first. */
    public synchronized void line(String text) {
        endRedraw();
        out.println(text);
        out.flush();
        lastLineNanos = System.nanoTime();
    }

    /** The {@code index}th measured iteration (from 1) of a variant: {@code operations} units in {@code elapsedNanos}. */
    public synchronized void iteration(int index, long operations, long elapsedNanos) {
        long now = System.nanoTime();
        if (!terminal && now - lastLineNanos < ITERATION_LINE_EVERY_NANOS) {
            return;
        }
        String text = String.format(
                Locale.ROOT,
                "%s: measured iteration %d, %s units in %s (%s/s)",
                context,
                index,
                Units.rate(operations),
                Units.micros(elapsedNanos / 1000.0),
                Units.rate(elapsedNanos == 0 ? 0 : operations / (elapsedNanos / 1e9)));
        if (terminal) {
            out.print("\r\033[2K" + text);
            redrawing = true;
        } else {
            out.println(text);
        }
        out.flush();
        lastLineNanos = now;
    }

    private void endRedraw() {
        if (redrawing) {
            out.println();
            redrawing = false;
        }
    }
}
