package dev.colony.validation.report;

import dev.colony.validation.BenchReport;
import dev.colony.validation.Figure;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Spread;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The change of every headline figure between an old run and a new one, each judged against the spread of
 * both runs (ADR 0013):
 *
 * <pre>
 *   worse    = old median - new median   for throughput (higher is better)
 *            = new median - old median   for latency    (lower is better)
 *   combined = (IQR(old) + IQR(new)) / 2
 *   REGRESSION  when worse  &gt; combined
 *   IMPROVEMENT when -worse &gt; combined
 *   otherwise   within spread
 * </pre>
 *
 * The IQR is over each run's measured iterations ({@link Spread}). With medians in the middle of their
 * quartiles this is "the two interquartile ranges do not overlap". A run without per-iteration values (a
 * file from before they were recorded) contributes an IQR of 0, and the change is marked so.
 */
public record Comparison(List<Change> changes, List<String> onlyInOld, List<String> onlyInNew) {

    public Comparison {
        changes = List.copyOf(changes);
        onlyInOld = List.copyOf(onlyInOld);
        onlyInNew = List.copyOf(onlyInNew);
    }

    /** How one figure moved. */
    public enum Verdict {
        REGRESSION,
        IMPROVEMENT,
        WITHIN_SPREAD
    }

    /**
     * One figure of one scenario in both runs.
     *
     * @param scenario the scenario
     * @param figure the figure
     * @param old its spread in the old run
     * @param now its spread in the new run
     * @param verdict the judgement of ADR 0013's rule
     */
    public record Change(String scenario, Figure figure, Spread old, Spread now, Verdict verdict) {
        /** The change of the median relative to the old median, in percent (signed, not "better"). */
        double changePct() {
            return old.median() == 0 ? 0 : 100.0 * (now.median() - old.median()) / Math.abs(old.median());
        }

        double combinedSpread() {
            return (old.iqr() + now.iqr()) / 2;
        }

        boolean spreadKnown() {
            return old.n() > 0 && now.n() > 0;
        }
    }

    public static Comparison of(BenchReport old, BenchReport now) {
        List<Change> changes = new ArrayList<>();
        List<String> onlyInNew = new ArrayList<>();
        for (ScenarioResult n : now.scenarios()) {
            Optional<ScenarioResult> o = old.scenarios().stream()
                    .filter(s -> s.name().equals(n.name()))
                    .findFirst();
            if (o.isEmpty()) {
                onlyInNew.add(n.name());
                continue;
            }
            for (Figure figure : Figure.values()) {
                changes.add(judge(n.name(), figure, figure.spread(o.get()), figure.spread(n)));
            }
        }
        List<String> onlyInOld = old.scenarios().stream()
                .map(ScenarioResult::name)
                .filter(name -> now.scenarios().stream().noneMatch(s -> s.name().equals(name)))
                .toList();
        return new Comparison(changes, onlyInOld, onlyInNew);
    }

    static Change judge(String scenario, Figure figure, Spread old, Spread now) {
        double worse = figure.higherIsBetter ? old.median() - now.median() : now.median() - old.median();
        double combined = (old.iqr() + now.iqr()) / 2;
        Verdict verdict =
                worse > combined ? Verdict.REGRESSION : -worse > combined ? Verdict.IMPROVEMENT : Verdict.WITHIN_SPREAD;
        return new Change(scenario, figure, old, now, verdict);
    }

    long regressions() {
        return changes.stream().filter(c -> c.verdict() == Verdict.REGRESSION).count();
    }

    long improvements() {
        return changes.stream().filter(c -> c.verdict() == Verdict.IMPROVEMENT).count();
    }

    public void print(PrintWriter out, String oldLabel) {
        out.printf(
                "%nCompared with %s (each figure the median over a run's iterations of the iteration's figure, the"
                        + " same statistic as the table; [IQR] in brackets):%n",
                oldLabel);
        String format = "%-22s %-13s %24s %24s %9s %12s  %s%n";
        out.printf(format, "scenario", "figure", "old median [IQR]", "new median [IQR]", "change", "comb. spread", "");
        for (Change c : changes) {
            out.printf(
                    Locale.ROOT,
                    format,
                    c.scenario(),
                    c.figure().label,
                    withIqr(c.figure(), c.old()),
                    withIqr(c.figure(), c.now()),
                    String.format(Locale.ROOT, "%+.1f%%", c.changePct()),
                    c.figure().format(c.combinedSpread()),
                    marker(c));
        }
        onlyInOld.forEach(name -> out.printf("%-22s only in the old run%n", name));
        onlyInNew.forEach(name -> out.printf("%-22s only in the new run%n", name));
        out.printf(
                "%d regression(s), %d improvement(s), %d within spread.%n",
                regressions(), improvements(), changes.size() - regressions() - improvements());
        out.println("Legend: REGRESSION when the new median is worse than the old by more than the combined spread,"
                + " (IQR old + IQR new) / 2 over each run's measured iterations; IMPROVEMENT when better by more;"
                + " '(no spread)' when a run has no per-iteration figures, so its IQR counts as 0 (ADR 0013).");
    }

    private static String marker(Change c) {
        String verdict = switch (c.verdict()) {
            case REGRESSION -> "REGRESSION";
            case IMPROVEMENT -> "improvement";
            case WITHIN_SPREAD -> "";
        };
        return c.spreadKnown() ? verdict : (verdict + " (no spread)").trim();
    }

    private static String withIqr(Figure figure, Spread s) {
        return figure.format(s.median()) + " [" + figure.format(s.iqr()) + "]";
    }

    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
