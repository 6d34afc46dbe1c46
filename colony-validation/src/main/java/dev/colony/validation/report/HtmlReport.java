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
 * The run as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched): the same
 * content as {@link MarkdownReport}, with a throughput-against-target chart and one latency percentile
 * chart per scenario.
 */
public final class HtmlReport {
    private final BenchReport report;
    private final StringBuilder out = new StringBuilder();

    private HtmlReport(BenchReport report) {
        this.report = report;
    }

    public static String render(BenchReport report) {
        return new HtmlReport(report).render();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f9fafb;color:#111827}
            main{max-width:1180px;margin:0 auto;padding:24px 32px 64px}
            h1{font-size:28px;margin:8px 0 4px}h2{font-size:21px;margin:36px 0 12px;border-bottom:1px solid #e5e7eb;padding-bottom:6px}
            h3{font-size:17px;margin:24px 0 8px}
            .meta{color:#4b5563;margin:0 0 16px}
            .cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
            .card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:170px}
            .card b{display:block;font-size:20px;margin-top:2px}.card small{color:#6b7280}
            .pass{color:#15803d;font-weight:600}.fail{color:#dc2626;font-weight:600}
            .lead{font-size:17px;margin:12px 0}.quick{background:#fef3c7;border:1px solid #f59e0b;padding:6px 10px}
            table{border-collapse:collapse;background:#fff;font-size:13px;margin:8px 0}
            th,td{border:1px solid #e5e7eb;padding:5px 8px;text-align:right;vertical-align:top;white-space:nowrap}
            th{background:#f3f4f6;text-align:left;white-space:normal}td:first-child{text-align:left}
            td.text{text-align:left;max-width:380px;white-space:normal}
            .chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:8px;display:inline-block}
            .grid{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
            ul.findings li{margin:6px 0}
            details{margin:8px 0}code{font-size:12px}
            """;

    private String render() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        out.append("<title>Colony validation report ")
                .append(escape(report.startedAt()))
                .append("</title>\n");
        out.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        out.append("<h1>Colony validation report</h1>\n");
        out.append("<p class=\"meta\">")
                .append(escape(String.format(
                        "Run started %s: Colony %s, JDK %s, %d CPUs, %s, backend %s.",
                        report.startedAt(),
                        report.colonyVersion(),
                        report.jdk(),
                        report.cpus(),
                        report.os(),
                        report.backendText())))
                .append("</p>\n");
        List<Goal> goals = Goals.of(report);
        out.append("<p class=\"lead\"><b>")
                .append(escape(Goals.summary(goals)))
                .append("</b> ")
                .append(escape(Outcome.of(report).verdictText()))
                .append("</p>\n");
        if (report.quickRun()) {
            out.append("<p class=\"quick\">")
                    .append(escape(BenchReport.QUICK_NOTE))
                    .append("</p>\n");
        }
        out.append(HtmlGoals.render(goals));
        cards();
        summary();
        findings();
        out.append("<section id=\"throughput\">\n<h2>Throughput against the same-run baseline</h2>\n")
                .append("<div class=\"chart\">\n")
                .append(SvgCharts.baselines(report.scenarios()))
                .append("</div>\n</section>\n");
        claims();
        baselines();
        out.append("<section id=\"scenarios\">\n<h2>Scenarios</h2>\n");
        report.scenarios().forEach(this::scenario);
        out.append("</section>\n");
        out.append("<section id=\"methodology\">\n<h2>Methodology</h2>\n<ul>\n");
        Methodology.TEXT.forEach(t -> out.append("<li>").append(code(t)).append("</li>\n"));
        out.append("</ul>\n</section>\n");
        environment();
        out.append("</main>\n</body>\n</html>\n");
        return out.toString();
    }

    private void cards() {
        out.append("<div class=\"cards\">\n");
        for (ScenarioResult r : report.scenarios()) {
            out.append("<div class=\"card\"><small>")
                    .append(escape(r.name()))
                    .append("</small><b>")
                    .append(escape(Figure.THROUGHPUT.format(Figure.THROUGHPUT.value(r))))
                    .append("</b><small>Colony's goals met: ")
                    .append(escape(SummaryCells.goalsMet(r)))
                    .append("<br/>")
                    .append(r.verified().ok() ? "verified" : "<span class=\"fail\">WORK LOST OR WRONG</span>")
                    .append(
                            r.baseline() == null
                                    ? ""
                                    : ", " + escape(Findings.ratio(r.baseline().ratio())) + "x baseline")
                    .append("</small></div>\n");
        }
        out.append("</div>\n");
    }

    private void summary() {
        out.append("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n");
        header(
                "scenario",
                "Colony's goals met",
                "throughput (median of iterations)",
                "range over iterations",
                "p50",
                "p95",
                "p99",
                "p99.9",
                "max",
                "verified",
                "original report's target",
                "Colony / baseline");
        for (ScenarioResult r : report.scenarios()) {
            Spread t = Figure.THROUGHPUT.spread(r);
            out.append("<tr><td>").append(escape(r.name())).append("</td>");
            cells(
                    escape(SummaryCells.goalsMet(r)),
                    "<b>" + escape(Figure.THROUGHPUT.format(t.median())) + "</b>",
                    t.n() == 0 ? "n/a" : escape(Units.rate(t.min()) + " – " + Figure.THROUGHPUT.format(t.max())),
                    micros(Figure.P50.value(r)),
                    micros(Figure.P95.value(r)),
                    micros(Figure.P99.value(r)),
                    micros(Figure.P999.value(r)),
                    micros(Figure.MAX.value(r)),
                    r.verified().ok()
                            ? escape(SummaryCells.verified(r))
                            : "<span class=\"fail\">" + escape(SummaryCells.verified(r)) + "</span>",
                    escape(SummaryCells.target(r)),
                    r.baseline() == null ? "n/a" : Findings.ratio(r.baseline().ratio()) + "x");
            out.append("</tr>\n");
        }
        out.append("</table>\n<p>Every figure is the median over the measured iterations of that iteration's figure"
                + " (p50: the median of the iterations' p50s); the range is the slowest to the fastest iteration. The"
                + " original report's targets are its 10k/s-style figures, far below Colony's goals.</p>\n"
                + "</section>\n");
    }

    private void findings() {
        out.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
        out.append("<p>Computed from this run's figures (nothing here is written in advance).</p>\n");
        out.append("<ul class=\"findings\">\n");
        for (Findings.Finding f : Findings.of(report)) {
            out.append("<li><b>")
                    .append(escape(f.title()))
                    .append("</b>: ")
                    .append(escape(f.text()))
                    .append("</li>\n");
        }
        out.append("</ul>\n</section>\n");
    }

    private void claims() {
        out.append("<section id=\"claims\">\n<h2>Against the original report</h2>\n<table>\n");
        header("scenario", "the original claimed", "what it measured", "Colony, verified, this run", "Colony / claim");
        for (ScenarioResult r : report.scenarios()) {
            OriginalClaim.of(r.name()).ifPresent(c -> {
                double colony = c.colonyFigure(r);
                out.append("<tr><td>").append(escape(r.name())).append("</td>");
                out.append("<td class=\"text\">").append(escape(c.claim())).append("</td>");
                out.append("<td class=\"text\">").append(escape(c.measured())).append("</td>");
                cells(escape(c.format(colony)), Findings.ratio(colony / c.figure()) + "x");
                out.append("</tr>\n");
            });
        }
        out.append("</table>\n</section>\n");
    }

    private void baselines() {
        out.append("<section id=\"baselines\">\n<h2>Baselines measured in the same run</h2>\n");
        out.append("<p>Each baseline does the same verified work without Colony; the ratio is Colony's median"
                + " throughput over the baseline's (above 1: Colony is faster).</p>\n<table>\n");
        header(
                "scenario",
                "baseline",
                "baseline throughput",
                "Colony throughput",
                "Colony / baseline",
                "baseline p50",
                "baseline verified");
        for (ScenarioResult r : report.scenarios()) {
            ScenarioResult.Baseline b = r.baseline();
            out.append("<tr><td>").append(escape(r.name())).append("</td>");
            if (b == null) {
                out.append("<td class=\"text\" colspan=\"6\">none recorded</td></tr>\n");
                continue;
            }
            out.append("<td class=\"text\">").append(escape(b.name())).append("</td>");
            cells(
                    rate(b.throughputPerSec()),
                    rate(r.throughputPerSec()),
                    Findings.ratio(b.ratio()) + "x",
                    b.latencyUs() == null ? "not timed" : micros(b.latencyUs().p50()),
                    String.format(
                            Locale.ROOT,
                            "%,d / %,d",
                            b.verified().observed(),
                            b.verified().expected()));
            out.append("</tr>\n");
        }
        out.append("</table>\n</section>\n");
    }

    private void scenario(ScenarioResult r) {
        out.append("<section class=\"scenario\" id=\"scenario-")
                .append(escape(r.name()))
                .append("\">\n");
        out.append("<h3>").append(escape(r.name())).append("</h3>\n");
        Scenarios.named(r.name())
                .ifPresent(s -> out.append("<p><b>What runs</b>: ")
                        .append(escape(s.description()))
                        .append(".</p>\n"));
        out.append("<p><b>Verified</b>: ")
                .append(escape(String.format(
                        Locale.ROOT,
                        "%,d of %,d units checked and counted, every variant of the scenario included (%d measured iterations;"
                                + " %,d units per iteration of the headline); %s.",
                        r.verified().observed(),
                        r.verified().expected(),
                        r.iterations(),
                        r.operations(),
                        r.verified().ok() ? "none missing" : "WORK MISSING OR WRONG")))
                .append("</p>\n");
        Details.text(r.details(), "latency_basis")
                .ifPresent(t -> out.append("<p><b>Latency basis</b>: ")
                        .append(escape(t))
                        .append(".</p>\n"));
        if (r.baseline() != null) {
            out.append("<p><b>Baseline</b> (")
                    .append(escape(r.baseline().name()))
                    .append("): ")
                    .append(escape(r.baseline().what()))
                    .append(".</p>\n");
        }
        out.append("<div class=\"grid\">\n<div class=\"chart\">\n")
                .append(SvgCharts.latency(r))
                .append("</div>\n<div>\n<table>\n");
        header("figure (per iteration)", "median", "min", "Q1", "Q3", "max", "iterations");
        for (Figure figure : Figure.values()) {
            Spread s = figure.spread(r);
            out.append("<tr><td>").append(escape(figure.label)).append("</td>");
            cells(
                    escape(figure.format(s.median())),
                    escape(figure.format(s.min())),
                    escape(figure.format(s.q1())),
                    escape(figure.format(s.q3())),
                    escape(figure.format(s.max())),
                    s.n() == 0 ? "headline only" : String.valueOf(s.n()));
            out.append("</tr>\n");
        }
        if (r.baseline() != null) {
            Spread b = Spread.of(
                    r.baseline().throughputPerIteration(), r.baseline().throughputPerSec());
            out.append("<tr><td>baseline throughput</td>");
            cells(rate(b.median()), rate(b.min()), rate(b.q1()), rate(b.q3()), rate(b.max()), String.valueOf(b.n()));
            out.append("</tr>\n");
        }
        out.append("</table>\n</div>\n</div>\n<details><summary>All details</summary>\n<table>\n");
        flatten("", r.details());
        out.append("</table>\n</details>\n</section>\n");
    }

    private void flatten(String prefix, Map<String, Object> map) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) nested;
                flatten(key, typed);
            } else {
                out.append("<tr><td><code>")
                        .append(escape(key))
                        .append("</code></td><td class=\"text\">")
                        .append(escape(String.valueOf(e.getValue())))
                        .append("</td></tr>\n");
            }
        }
    }

    private void environment() {
        out.append("<section id=\"environment\">\n<h2>Environment</h2>\n<table>\n");
        for (List<String> row : RunEnvironment.rows(report)) {
            out.append("<tr><td>")
                    .append(escape(row.get(0)))
                    .append("</td><td class=\"text\">")
                    .append(escape(row.get(1)))
                    .append("</td></tr>\n");
        }
        out.append("</table>\n</section>\n");
    }

    private void header(String... names) {
        out.append("<tr>");
        for (String name : names) {
            out.append("<th>").append(escape(name)).append("</th>");
        }
        out.append("</tr>\n");
    }

    /** Cells of markup this class built (numbers and its own tags); text from elsewhere is escaped first. */
    private void cells(String... markup) {
        for (String cell : markup) {
            out.append("<td>").append(cell).append("</td>");
        }
    }

    private static String rate(double perSecond) {
        return escape(Figure.THROUGHPUT.format(perSecond));
    }

    private static String micros(double us) {
        return escape(Units.micros(us));
    }

    /** Escapes text for HTML and SVG, then turns `backticks` into code. */
    private static String code(String text) {
        return escape(text).replaceAll("`([^`]*)`", "<code>$1</code>");
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
