package dev.colony.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The human output of a finished run: what happened, in sentences (who was killed and who rescued the task,
 * the failover and the refused late write, what the latency percentiles mean), then each invariant with its
 * evidence, then the verdict. {@code --json} carries the same facts as fields.
 */
public final class Story {
    private Story() {}

    /** Prints {@code summary} to {@code out}; {@code backend} names where the colony ran. */
    public static void print(Summary s, String backend, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "%,d workers and %d coordinator candidates ran %,d tasks on %s (seed %d).%n",
                s.agents(),
                s.coordinatorCandidates(),
                s.tasksSubmitted(),
                backend,
                s.seed());
        out.println(killed(s));
        out.println(failover(s));
        figures(s, out);
        if (!s.alerts().isEmpty()) {
            out.printf("Alerts fired (default rules, evaluated every %d s):%n", Demo.ALERT_EVERY.toSeconds());
            s.alerts().forEach(alert -> out.printf("  %s%n", alert));
        }
        out.println("Invariants:");
        for (Invariants.Check check : s.invariants().all()) {
            out.printf("  %-41s %s: %s%n", check.name(), check.holds() ? "holds" : "BROKEN", check.evidence());
        }
        out.println(s.ok() ? "ok: every invariant holds" : "NOT ok: an invariant is broken");
        out.flush();
    }

    /** Throughput, retries and expiries; the latency percentiles said in words; the snapshots. */
    private static void figures(Summary s, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "%,d of %,d tasks done in %.2f s (%,.0f tasks/s); %,d attempts failed on purpose and were retried,"
                        + " a lease ran out %,d times before its worker finished, %,d late completions were refused.%n",
                s.tasksDone(),
                s.tasksSubmitted(),
                s.seconds(),
                s.throughputPerSecond(),
                s.retries(),
                s.leaseExpiries(),
                s.staleCompletionsRefused());
        Summary.Latency l = s.claimToCompleteMs();
        out.printf(
                Locale.ROOT,
                "From claim to completion, half the tasks took at most %.2f ms (p50) and 95 in 100 at most %.2f ms"
                        + " (p95); p99 %.2f ms, slowest %.2f ms.%n",
                l.p50(),
                l.p95(),
                l.p99(),
                l.max());
        out.printf(
                Locale.ROOT,
                "%,d snapshots were taken as it ran (%,d bytes in all, the last %,d bytes).%n",
                s.snapshots(),
                s.snapshotBytes(),
                s.lastSnapshotBytes());
    }

    private static String killed(Summary s) {
        if (s.killedWorker() == null) {
            return "No worker was killed: a single worker, or every task was done before another worker claimed one.";
        }
        return s.killedWorker() + " was killed while holding " + s.orphanedTask() + "; its lease ran out and "
                + (s.orphanedTaskCompletedBy() == null ? "nobody" : s.orphanedTaskCompletedBy())
                + " rescued the task.";
    }

    private static String failover(Summary s) {
        if (s.staleLeader() == null) {
            return "The leader was not failed over before the deadline.";
        }
        String successor = s.terms().stream()
                .filter(term -> term.term() > s.staleTerm())
                .findFirst()
                .map(term -> String.join(", ", term.leaders()) + " was elected in term " + term.term())
                .orElse("another candidate was elected");
        String late = s.lateWritesAccepted() == 0
                ? "its late write under term " + s.staleTerm() + " was refused (fenced)"
                : "its late write under term " + s.staleTerm() + " was ACCEPTED";
        int unplanned = s.failovers() - 1;
        return s.staleLeader() + ", leader in term " + s.staleTerm() + ", froze; " + successor + ", and " + late
                + ". "
                + (unplanned <= 0
                        ? "That was the one failover."
                        : s.failovers() + " failovers in all: " + unplanned
                                + " more because a leader's lease ran out before it renewed.");
    }
}
