package dev.colony.validation.report;

import dev.colony.validation.BenchReport;
import dev.colony.validation.Details;
import dev.colony.validation.Figure;
import dev.colony.validation.Goal;
import dev.colony.validation.Goals;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Units;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The terminal summary of a run: the one-line count of Colony's goals met, each goal with its figure and
 * verdict, then one row per scenario. Every figure is the median over the measured iterations (the same
 * statistic as the Markdown, the HTML and {@code --compare}), written with a scaled unit.
 */
public final class TerminalTable {
    private static final String ROW = "%-22s %6s %10s %9s %9s %9s %9s %9s %17s %11s %7s%n";

    private TerminalTable() {}

    public static void print(PrintWriter out, BenchReport report) {
        out.printf(
                "Colony %s bench, JDK %s, %d CPUs, %s, backend %s, commit %s%n",
                report.colonyVersion(),
                report.jdk(),
                report.cpus(),
                report.os(),
                report.backendText(),
                report.environment() == null
                        ? "not recorded"
                        : report.environment().gitCommit());
        List<Goal> goals = Goals.of(report);
        out.println(Goals.summary(goals));
        for (Goal g : goals) {
            out.printf(
                    "  %-22s %-40s %12s %14s  %s%n",
                    g.scenario(), g.name(), g.goalText(), g.measuredText(), g.verdictText());
        }
        out.println();
        out.printf(
                ROW,
                "scenario",
                "goals",
                "throughput",
                "p50",
                "p95",
                "p99",
                "p99.9",
                "max",
                "verified",
                "orig. target",
                "x base");
        report.scenarios().forEach(r -> row(out, r));
        out.println("Figures: the median over the measured iterations of each iteration's figure (p50 = the median of"
                + " the iterations' p50s). goals: Colony's goals met / judged. orig. target: the original report's"
                + " 10k/s-style target. x base: Colony / same-run baseline.");
    }

    private static void row(PrintWriter out, ScenarioResult r) {
        List<Goal> goals = Goals.of(r);
        long judged = goals.size() - Goals.count(goals, Goal.Verdict.NOT_MEASURED);
        out.printf(
                Locale.ROOT,
                ROW,
                r.name(),
                goals.isEmpty() ? "-" : judged == 0 ? "n/a" : Goals.count(goals, Goal.Verdict.MET) + "/" + judged,
                Figure.THROUGHPUT.format(Figure.THROUGHPUT.value(r)),
                Units.micros(Figure.P50.value(r)),
                Units.micros(Figure.P95.value(r)),
                Units.micros(Figure.P99.value(r)),
                Units.micros(Figure.P999.value(r)),
                Units.micros(Figure.MAX.value(r)),
                r.verified().observed() + "/" + r.verified().expected()
                        + (r.verified().ok() ? "" : "!"),
                Units.rate(r.target().min()) + (r.toTarget() < 1 ? " miss" : " met"),
                r.baseline() == null ? "-" : Findings.ratio(r.baseline().ratio()) + "x");
        Map<String, Object> d = r.details();
        if (Details.number(d, "async", "throughput_per_sec").isPresent()) {
            out.printf(
                    Locale.ROOT,
                    "%-22s %6s %10s %9s %9s %9s %9s %9s   %s%n",
                    "  async",
                    "",
                    Units.rate(Details.number(d, "async", "throughput_per_sec").orElseThrow()) + "/s",
                    latency(d, "p50"),
                    latency(d, "p95"),
                    latency(d, "p99"),
                    latency(d, "p999"),
                    latency(d, "max"),
                    "ASYNC variant: publish to handler, the bus's own histogram over all iterations");
        }
    }

    private static String latency(Map<String, Object> details, String percentile) {
        return Details.number(details, "async", "latency_us", percentile)
                .map(Units::micros)
                .orElse("-");
    }
}
