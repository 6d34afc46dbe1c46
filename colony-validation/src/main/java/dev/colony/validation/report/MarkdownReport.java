package dev.colony.validation.report;

import dev.colony.validation.BenchReport;
import dev.colony.validation.Details;
import dev.colony.validation.Figure;
import dev.colony.validation.Goal;
import dev.colony.validation.Goals;
import dev.colony.validation.Outcome;
import dev.colony.validation.RunEnvironment;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Spread;
import dev.colony.validation.Units;
import dev.colony.validation.scenarios.Scenarios;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run as a Markdown report: summary table, findings computed from the figures, the original report's
 * claims beside Colony's measurements, the same-run baselines, one section per scenario (what it verified,
 * the spread over iterations, its details), the methodology and the environment.
 */
public final class MarkdownReport {
    private final BenchReport report;
    private final StringBuilder out = new StringBuilder();

    private MarkdownReport(BenchReport report) {
        this.report = report;
    }

    public static String render(BenchReport report) {
        return new MarkdownReport(report).render();
    }

    private String render() {
        line("# Colony validation report");
        line("");
        List<Goal> goals = Goals.of(report);
        line("**" + Goals.summary(goals) + "** " + Outcome.of(report).verdictText());
        line("");
        line(String.format(
                "Run started %s: Colony %s, JDK %s, %d CPUs, %s, backend %s.",
                report.startedAt(),
                report.colonyVersion(),
                report.jdk(),
                report.cpus(),
                report.os(),
                report.backendText()));
        if (report.quickRun()) {
            line("");
            line("> " + BenchReport.QUICK_NOTE);
        }
        goals(goals);
        summary();
        findings();
        claims();
        baselines();
        report.scenarios().forEach(this::scenario);
        methodology();
        environment();
        return out.toString();
    }

    private void goals(List<Goal> goals) {
        section("Colony's goals");
        line("Colony's own goals (docs/workloads.md), judged from this run's figures. measured / goal is oriented so"
                + " that 1 is the goal and above 1 is better (goal / measured for an upper limit).");
        line("");
        line("| scenario | goal | measured | measured / goal | verdict |");
        line("|---|---|---|---|---|");
        for (Goal g : goals) {
            line(row(
                    "`" + g.scenario() + "`: " + g.name(),
                    g.goalText(),
                    g.measuredText(),
                    g.measured() == null ? "" : ratio(g.ratio()) + "x",
                    g.verdict() == Goal.Verdict.MISSED ? "**missed**" : g.verdictText()));
        }
    }

    private void summary() {
        section("Summary");
        line("Every figure is the median over the measured iterations of that iteration's figure (p50: the median"
                + " of the iterations' p50s); the range is the slowest to the fastest iteration.");
        line("");
        line("| scenario | Colony's goals met | throughput (median of iterations) | range over iterations | p50 | p95 |"
                + " p99 | p99.9 | max | verified | original report's target |  Colony / baseline |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (ScenarioResult r : report.scenarios()) {
            Spread t = Figure.THROUGHPUT.spread(r);
            line(row(
                    r.name(),
                    SummaryCells.goalsMet(r),
                    "**" + Figure.THROUGHPUT.format(t.median()) + "**",
                    t.n() == 0 ? "n/a" : Units.rate(t.min()) + " - " + Figure.THROUGHPUT.format(t.max()),
                    Units.micros(Figure.P50.value(r)),
                    Units.micros(Figure.P95.value(r)),
                    Units.micros(Figure.P99.value(r)),
                    Units.micros(Figure.P999.value(r)),
                    Units.micros(Figure.MAX.value(r)),
                    SummaryCells.verified(r),
                    SummaryCells.target(r),
                    r.baseline() == null ? "n/a" : ratio(r.baseline().ratio()) + "x"));
        }
    }

    private void findings() {
        section("Findings");
        line("Computed from this run's figures (nothing here is written in advance).");
        line("");
        for (Findings.Finding f : Findings.of(report)) {
            line("- **" + f.title() + "**: " + f.text());
        }
    }

    private void claims() {
        section("Against the original report");
        if (report.scenarios().stream()
                .noneMatch(r -> OriginalClaim.of(r.name()).isPresent())) {
            line("No scenario of this run has a figure in the original report.");
            return;
        }
        line("| scenario | the original claimed | what it measured | Colony, verified, this run | Colony / claim |");
        line("|---|---|---|---|---|");
        for (ScenarioResult r : report.scenarios()) {
            OriginalClaim.of(r.name()).ifPresent(c -> {
                double colony = c.colonyFigure(r);
                line(row(r.name(), c.claim(), c.measured(), c.format(colony), ratio(colony / c.figure()) + "x"));
            });
        }
    }

    private void baselines() {
        section("Baselines measured in the same run");
        line("Each baseline does the same verified work without Colony; the ratio is Colony's median throughput"
                + " over the baseline's (above 1: Colony is faster).");
        line("");
        line("| scenario | baseline | baseline throughput | Colony throughput | Colony / baseline | baseline p50 |"
                + " baseline verified |");
        line("|---|---|---|---|---|---|---|");
        for (ScenarioResult r : report.scenarios()) {
            ScenarioResult.Baseline b = r.baseline();
            if (b == null) {
                line(row(r.name(), "none recorded", "", Figure.THROUGHPUT.format(r.throughputPerSec()), "", "", ""));
                continue;
            }
            line(row(
                    r.name(),
                    b.name(),
                    Figure.THROUGHPUT.format(b.throughputPerSec()),
                    Figure.THROUGHPUT.format(r.throughputPerSec()),
                    ratio(b.ratio()) + "x",
                    b.latencyUs() == null
                            ? "not timed"
                            : Units.micros(b.latencyUs().p50()),
                    String.format(
                            Locale.ROOT,
                            "%,d / %,d",
                            b.verified().observed(),
                            b.verified().expected())));
        }
    }

    private void scenario(ScenarioResult r) {
        section("`" + r.name() + "`");
        Scenarios.named(r.name()).ifPresent(s -> line("**What runs**: " + s.description() + "."));
        line("");
        line(String.format(
                Locale.ROOT,
                "**Verified**: %,d of %,d units checked and counted, every variant of the scenario included (%d"
                        + " measured iterations; %,d units per iteration of the headline); %s.",
                r.verified().observed(),
                r.verified().expected(),
                r.iterations(),
                r.operations(),
                r.verified().ok() ? "none missing" : "**work missing or wrong**"));
        Details.text(r.details(), "latency_basis").ifPresent(t -> line("\n**Latency basis**: " + t + "."));
        if (r.baseline() != null) {
            line("");
            line("**Baseline** (" + r.baseline().name() + "): " + r.baseline().what() + ".");
        }
        line("");
        line("| figure (per iteration) | median | min | Q1 | Q3 | max | iterations |");
        line("|---|---|---|---|---|---|---|");
        for (Figure figure : Figure.values()) {
            Spread s = figure.spread(r);
            line(row(
                    figure.label,
                    figure.format(s.median()),
                    figure.format(s.min()),
                    figure.format(s.q1()),
                    figure.format(s.q3()),
                    figure.format(s.max()),
                    s.n() == 0 ? "headline only" : String.valueOf(s.n())));
        }
        if (r.baseline() != null) {
            Spread b = Spread.of(
                    r.baseline().throughputPerIteration(), r.baseline().throughputPerSec());
            line(row(
                    "baseline throughput",
                    Figure.THROUGHPUT.format(b.median()),
                    Figure.THROUGHPUT.format(b.min()),
                    Figure.THROUGHPUT.format(b.q1()),
                    Figure.THROUGHPUT.format(b.q3()),
                    Figure.THROUGHPUT.format(b.max()),
                    String.valueOf(b.n())));
        }
        line("");
        line("<details><summary>All details</summary>");
        line("");
        flatten("", r.details());
        line("");
        line("</details>");
    }

    private void flatten(String prefix, Map<String, Object> map) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) nested;
                flatten(key, typed);
            } else {
                // a value such as "memory/<agent>" would otherwise be read as an HTML tag
                line("- `" + key + "`: " + String.valueOf(e.getValue()).replace("<", "&lt;"));
            }
        }
    }

    private void methodology() {
        section("Methodology");
        for (String text : Methodology.TEXT) {
            line("- " + text);
        }
    }

    private void environment() {
        section("Environment");
        line("| | |");
        line("|---|---|");
        RunEnvironment.rows(report).forEach(cells -> line(row(cells.toArray(String[]::new))));
    }

    private void section(String title) {
        line("");
        line("## " + title);
        line("");
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    private static String row(String... cells) {
        StringBuilder row = new StringBuilder("|");
        for (String cell : List.of(cells)) {
            row.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        return row.toString();
    }

    private static String ratio(double v) {
        return Findings.ratio(v);
    }
}
