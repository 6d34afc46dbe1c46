package dev.colony.validation.report;

import dev.colony.validation.Figure;
import dev.colony.validation.Goal;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Spread;
import dev.colony.validation.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts as inline SVG, drawn here (no script, no network). No chart draws bars on a log
 * axis (a bar's length there says nothing: 0.07x looks like 77% of the way): ratios are dots on a log
 * ratio axis around a marked 1x (Colony's goals as measured / goal; throughput per iteration over the
 * same-run baseline), and per scenario the latency percentile curve (p50 to max, each the median over the
 * iterations) is a line with the band of the per-iteration values and the baseline's curve. Every chart
 * writes its unit.
 */
final class SvgCharts {
    static final String COLONY = "#2563eb";
    static final String BAND = "#93c5fd";
    static final String BASELINE = "#9ca3af";
    static final String TARGET = "#dc2626";
    static final String MET = "#15803d";

    private SvgCharts() {}

    /** A log scale from the decade at or below {@code min} to the decade at or above {@code max}. */
    record LogScale(double lo, double hi, double from, double to) {
        static LogScale of(List<Double> values, double from, double to) {
            double min = values.stream().filter(v -> v > 0).min(Double::compare).orElse(1.0);
            double max = values.stream().filter(v -> v > 0).max(Double::compare).orElse(10.0);
            double lo = Math.pow(10, Math.floor(Math.log10(min)));
            double hi = Math.pow(10, Math.ceil(Math.log10(max)));
            if (hi <= lo) {
                hi = lo * 10;
            }
            return new LogScale(lo, hi, from, to);
        }

        double at(double v) {
            double clamped = Math.max(lo, Math.min(hi, v <= 0 ? lo : v));
            return from + (to - from) * (Math.log10(clamped) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }

        List<Double> decades() {
            List<Double> decades = new ArrayList<>();
            for (double d = lo; d <= hi * 1.0001; d *= 10) {
                decades.add(d);
            }
            return decades;
        }
    }

    /**
     * One row of a ratio chart: dots at {@code dots} (the iterations, or the one figure), a tick at
     * {@code median}, and a note at the right.
     */
    record RatioRow(String label, List<Double> dots, double median, String color, String note) {
        RatioRow {
            dots = List.copyOf(dots);
        }
    }

    /** Colony's goals as measured / goal: 1x is the goal, right of it met, left missed. */
    static String goals(List<Goal> goals) {
        List<RatioRow> rows = new ArrayList<>();
        for (Goal g : goals) {
            if (g.measured() != null) {
                String color = g.verdict() == Goal.Verdict.MET ? MET : TARGET;
                String note = g.measuredText() + " vs " + g.goalText() + ": " + Findings.ratio(g.ratio()) + "x";
                rows.add(new RatioRow(g.scenario() + ": " + g.name(), List.of(g.ratio()), g.ratio(), color, note));
            }
        }
        return ratio(
                "Colony's goals: measured / goal (goal / measured for an upper limit)",
                "ratio to the goal, log scale: 1x = goal, right of it = met",
                "goal",
                rows);
    }

    /** Colony's throughput over its same-run baseline's: a dot per iteration, the tick at the median. */
    static String baselines(List<ScenarioResult> results) {
        List<RatioRow> rows = new ArrayList<>();
        for (ScenarioResult r : results) {
            if (r.baseline() == null || r.baseline().throughputPerSec() <= 0) {
                continue;
            }
            double base = r.baseline().throughputPerSec();
            List<Double> dots = Figure.THROUGHPUT.spread(r).n() == 0
                    ? List.of(Figure.THROUGHPUT.value(r) / base)
                    : r.perIteration().throughputPerSec().stream()
                            .map(v -> v / base)
                            .toList();
            double median = Figure.THROUGHPUT.value(r) / base;
            rows.add(new RatioRow(
                    r.name(),
                    dots,
                    median,
                    COLONY,
                    Findings.ratio(median) + "x of " + Figure.THROUGHPUT.format(base) + " ("
                            + r.baseline().name() + ")"));
        }
        return ratio(
                "Throughput: Colony / same-run baseline, per measured iteration",
                "Colony throughput / baseline median throughput, log scale: 1x = as fast as the baseline",
                "baseline",
                rows);
    }

    /** A ratio chart: one row per entry, dots on a log ratio axis around a marked 1x line; no bars. */
    static String ratio(String title, String axis, String oneLabel, List<RatioRow> rows) {
        int left = 330;
        int right = 700;
        int rowHeight = 26;
        int top = 52;
        int height = top + rowHeight * Math.max(1, rows.size()) + 44;
        List<Double> values = new ArrayList<>(List.of(0.5, 2.0));
        rows.forEach(r -> values.addAll(r.dots()));
        LogScale x = LogScale.of(values, left, right);
        StringBuilder svg = open(1100, height, title + " (" + axis + ")");
        svg.append(text(20, 18, title, "start", 13, "#111827"));
        for (double d : x.decades()) {
            double px = x.at(d);
            svg.append(line(px, top - 6, px, height - 40, "#e5e7eb", 1, null));
            String tick = new java.math.BigDecimal(d)
                    .round(new java.math.MathContext(3))
                    .stripTrailingZeros()
                    .toPlainString();
            svg.append(text(px, height - 26, tick + "x", "middle", 11, "#6b7280"));
        }
        double one = x.at(1);
        svg.append(line(one, top - 10, one, height - 40, "#111827", 1.5, "5 3"));
        svg.append(text(one, top - 12, "1x = " + oneLabel, "middle", 11, "#111827"));
        svg.append(text((left + right) / 2.0, height - 8, axis, "middle", 11, "#374151"));
        for (int i = 0; i < rows.size(); i++) {
            RatioRow r = rows.get(i);
            double y = top + i * rowHeight + rowHeight / 2.0;
            svg.append(text(left - 10, y + 4, r.label(), "end", 12, "#111827"));
            for (double v : r.dots()) {
                svg.append(circle(x.at(v), y, 4, r.color()));
            }
            double m = x.at(r.median());
            svg.append(line(m, y - 9, m, y + 9, r.color(), 2, null));
            svg.append(text(right + 12, y + 4, r.note(), "start", 11, "#374151"));
        }
        return svg.append("</svg>\n").toString();
    }

    /** The latency percentile curve of one scenario, log scale, with the per-iteration band and the baseline. */
    static String latency(ScenarioResult r) {
        int left = 70;
        int right = 560;
        int top = 20;
        int bottom = 230;
        List<Figure> figures = Figure.LATENCY;
        LogScale y = latencyScale(r, bottom, top);
        StringBuilder svg =
                open(600, 290, "Latency percentiles of " + r.name() + ", median over the iterations, log scale");
        for (double d : y.decades()) {
            double py = y.at(d);
            svg.append(line(left, py, right, py, "#e5e7eb", 1, null));
            svg.append(text(left - 6, py + 4, Units.micros(d), "end", 11, "#6b7280"));
        }
        svg.append(text(12, (top + bottom) / 2.0, "latency (log scale)", "middle", 11, "#6b7280", -90));
        double step = (right - left) / (double) (figures.size() - 1);
        StringBuilder band = new StringBuilder();
        StringBuilder bandBack = new StringBuilder();
        StringBuilder curve = new StringBuilder();
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            double px = left + i * step;
            svg.append(text(px, bottom + 18, f.label, "middle", 11, "#374151"));
            Spread s = f.spread(r);
            band.append(i == 0 ? "M" : "L").append(fmt(px)).append(',').append(fmt(y.at(s.max())));
            bandBack.insert(0, "L" + fmt(px) + "," + fmt(y.at(s.min())));
            curve.append(i == 0 ? "M" : "L").append(fmt(px)).append(',').append(fmt(y.at(f.value(r))));
            if (r.baseline() != null && r.baseline().latencyUs() != null) {
                base.append(i == 0 ? "M" : "L")
                        .append(fmt(px))
                        .append(',')
                        .append(fmt(y.at(baselineValue(r.baseline().latencyUs(), f))));
            }
        }
        latencyPaths(svg, band.append(bandBack), base, curve);
        latencyLabels(svg, r, y, left, step);
        List<Key> keys = new ArrayList<>(
                List.of(new Key(COLONY, "Colony (median of iterations)"), new Key(BAND, "range over iterations")));
        if (!base.isEmpty()) {
            keys.add(new Key(BASELINE, "baseline (same run)"));
        }
        legend(svg, left, 282, keys);
        return svg.append("</svg>\n").toString();
    }

    /** A log scale over every value the latency chart draws: medians, ranges and the baseline. */
    private static LogScale latencyScale(ScenarioResult r, double bottom, double top) {
        List<Double> values = new ArrayList<>();
        for (Figure f : Figure.LATENCY) {
            values.add(f.value(r));
            values.add(f.spread(r).min());
            values.add(f.spread(r).max());
            if (r.baseline() != null && r.baseline().latencyUs() != null) {
                values.add(baselineValue(r.baseline().latencyUs(), f));
            }
        }
        return LogScale.of(values, bottom, top);
    }

    /** The range band, the baseline (dashed, when there is one) and Colony's curve. */
    private static void latencyPaths(StringBuilder svg, StringBuilder band, StringBuilder base, StringBuilder curve) {
        svg.append("<path d=\"")
                .append(band)
                .append("Z\" fill=\"")
                .append(BAND)
                .append("\" fill-opacity=\"0.45\" stroke=\"none\"/>\n");
        if (!base.isEmpty()) {
            svg.append("<path d=\"")
                    .append(base)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(BASELINE);
            svg.append("\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n");
        }
        svg.append("<path d=\"")
                .append(curve)
                .append("\" fill=\"none\" stroke=\"")
                .append(COLONY);
        svg.append("\" stroke-width=\"2.5\"/>\n");
    }

    /** A dot and its value at each of Colony's percentiles. */
    private static void latencyLabels(StringBuilder svg, ScenarioResult r, LogScale y, int left, double step) {
        List<Figure> figures = Figure.LATENCY;
        for (int i = 0; i < figures.size(); i++) {
            double v = figures.get(i).value(r);
            double px = left + i * step;
            boolean last = i == figures.size() - 1;
            svg.append(circle(px, y.at(v), 3.5, COLONY));
            svg.append(text(px + (last ? -6 : 6), y.at(v) - 7, Units.micros(v), last ? "end" : "start", 10, "#1e3a8a"));
        }
    }

    private static double baselineValue(ScenarioResult.Latency l, Figure f) {
        return switch (f) {
            case P50 -> l.p50();
            case P95 -> l.p95();
            case P99 -> l.p99();
            case P999 -> l.p999();
            case MAX -> l.max();
            case THROUGHPUT -> throw new IllegalArgumentException("not a latency figure: " + f);
        };
    }

    private record Key(String color, String label) {}

    private static void legend(StringBuilder svg, double x, double y, List<Key> keys) {
        double at = x;
        for (Key key : keys) {
            svg.append(rect(at, y - 10, 12, 12, key.color()));
            svg.append(text(at + 16, y, key.label(), "start", 11, "#374151"));
            at += 30 + key.label().length() * 6.2;
        }
    }

    private static StringBuilder open(int width, int height, String title) {
        return new StringBuilder()
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" font-family=\"system-ui, sans-serif\">\n<title>")
                .append(HtmlReport.escape(title))
                .append("</title>\n");
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" rx=\"2\"/>%n",
                x,
                y,
                Math.max(1, w),
                h,
                fill);
    }

    private static String circle(double x, double y, double r, String fill) {
        return String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", x, y, r, fill);
    }

    private static String line(double x1, double y1, double x2, double y2, String stroke, double width, String dash) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                x1,
                y1,
                x2,
                y2,
                stroke,
                width,
                dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private static String text(double x, double y, String text, String anchor, int size, String fill) {
        return text(x, y, text, anchor, size, fill, 0);
    }

    private static String text(double x, double y, String text, String anchor, int size, String fill, int rotate) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\"%s>%s</text>%n",
                x,
                y,
                anchor,
                size,
                fill,
                rotate == 0 ? "" : String.format(Locale.ROOT, " transform=\"rotate(%d %.1f %.1f)\"", rotate, x, y),
                HtmlReport.escape(text));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
