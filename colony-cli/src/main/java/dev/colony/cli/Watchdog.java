package dev.colony.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes {@code --timeout} hold whatever the run does. The run goes on a daemon platform thread; the calling
 * thread waits for it for the timeout plus a grace period (the run's own deadline check gets to report first
 * and clean up), and if the run has not returned by then (stuck, or thrashing out of memory) prints one line
 * and returns exit code 1. {@link Main#main} then ends the process with {@link Runtime#halt}, which no stuck
 * thread or shutdown hook can hold up. An {@link OutOfMemoryError} in the run is also one line and exit 1.
 *
 * <p>Grace: as long as the timeout, at most 5 seconds.
 */
final class Watchdog {
    static final Duration MAX_GRACE = Duration.ofSeconds(5);
    private static final AtomicBoolean FIRED = new AtomicBoolean();

    private Watchdog() {}

    /** Whether a watchdog gave up on a run in this JVM (the process must then halt, not exit). */
    static boolean fired() {
        return FIRED.get();
    }

    /**
     * Runs {@code work} for at most {@code timeout} plus the grace; returns its exit code, or 1 after printing
     * one line to {@code err} if it did not return in time or ran out of memory.
     */
    static int run(String command, Duration timeout, PrintWriter err, Callable<Integer> work) throws Exception {
        Duration grace = timeout.compareTo(MAX_GRACE) < 0 ? timeout : MAX_GRACE;
        // built before the wait: once the run has exhausted the heap, there may be no room to build it
        String gaveUp = "colony " + command + ": gave up after " + timeout.toSeconds() + " s (--timeout) plus "
                + grace.toSeconds() + " s of grace: the run did not finish (stuck, or out of memory)";
        String outOfMemory = "colony " + command + ": out of memory: lower the sizes or raise -Xmx";
        FutureTask<Integer> task = new FutureTask<>(work);
        Thread thread = Thread.ofPlatform()
                .daemon(true)
                .name("colony-" + command + "-run")
                .start(task);
        try {
            return task.get(timeout.plus(grace).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            FIRED.set(true);
            thread.interrupt();
            err.println(gaveUp);
            err.flush();
            return 1;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OutOfMemoryError) {
                err.println(outOfMemory);
                err.flush();
                return 1;
            }
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        } catch (InterruptedException e) {
            thread.interrupt();
            throw e;
        }
    }
}
