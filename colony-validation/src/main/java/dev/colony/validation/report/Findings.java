package dev.colony.validation.report;

import dev.colony.validation.BenchReport;
import dev.colony.validation.Details;
import dev.colony.validation.Figure;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Spread;
import dev.colony.validation.Units;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's figures say, computed from them: which scenario is nearest its target, which costs most over
 * its baseline, which spread most, where latency goes, and so where to look first. Every statement quotes
 * the numbers it is derived from; none is written in advance (the report's "bottleneck" and
 * "recommendation" text comes only from here).
 */
final class Findings {
    /** Relative IQR of throughput above which a run is called noisy. */
    static final double NOISY = 0.25;

    /** One finding: a short title and the statement with its numbers. */
    record Finding(String title, String text) {}

    private Findings() {}

    static List<Finding> of(BenchReport report) {
        List<ScenarioResult> all = report.scenarios();
        List<Finding> findings = new ArrayList<>();
        if (all.isEmpty()) {
            return findings;
        }
        findings.add(verification(all));
        findings.add(target(all));
        Optional<ScenarioResult> costliest = all.stream()
                .filter(r -> r.baseline() != null)
                .min(Comparator.comparingDouble(r -> r.baseline().ratio()));
        costliest.ifPresent(r -> findings.add(new Finding(
                "Largest cost over a plain implementation",
                String.format(
                        Locale.ROOT,
                        "%s: Colony %s/s against %s/s for the same verified work done by the baseline (%s), a ratio of"
                                + " %sx; the lowest Colony/baseline ratio of the %d scenarios with a baseline.",
                        r.name(),
                        num(Figure.THROUGHPUT.value(r)),
                        num(r.baseline().throughputPerSec()),
                        r.baseline().name(),
                        ratio(r.baseline().ratio()),
                        all.stream().filter(s -> s.baseline() != null).count()))));
        findings.add(spread(all));
        findings.add(tail(all));
        stages(all).ifPresent(findings::add);
        findings.add(recommendation(all, costliest));
        return findings;
    }

    private static Finding verification(List<ScenarioResult> all) {
        List<String> short_ = new ArrayList<>();
        long expected = 0;
        long observed = 0;
        for (ScenarioResult r : all) {
            expected += r.verified().expected();
            observed += r.verified().observed();
            if (!r.verified().ok()) {
                short_.add(String.format(
                        Locale.ROOT,
                        "%s (%,d of %,d)",
                        r.name(),
                        r.verified().observed(),
                        r.verified().expected()));
            }
            if (r.baseline() != null) {
                expected += r.baseline().verified().expected();
                observed += r.baseline().verified().observed();
                if (!r.baseline().verified().ok()) {
                    short_.add(String.format(
                            Locale.ROOT,
                            "the %s baseline (%,d of %,d)",
                            r.name(),
                            r.baseline().verified().observed(),
                            r.baseline().verified().expected()));
                }
            }
        }
        String text = short_.isEmpty()
                ? String.format(
                        Locale.ROOT,
                        "every unit of work, Colony's and the baselines', was checked and counted: %,d of %,d.",
                        observed,
                        expected)
                : "work went missing or failed its check in " + String.join(", ", short_) + ".";
        if (all.stream()
                .anyMatch(r -> r.baseline() != null && r.baseline().verified().expected() == 0)) {
            text += " Baselines run by an external tool (redis-benchmark) check nothing and count 0 here.";
        }
        return new Finding("Verification", text);
    }

    private static Finding target(List<ScenarioResult> all) {
        ScenarioResult nearest = all.stream()
                .min(Comparator.comparingDouble(ScenarioResult::toTarget))
                .orElseThrow();
        List<String> missed = all.stream()
                .filter(r -> r.toTarget() < 1)
                .map(ScenarioResult::name)
                .toList();
        String text = String.format(
                Locale.ROOT,
                "%s has the lowest ratio to its target: %s/s against %s/s (%sx).",
                nearest.name(),
                num(Figure.THROUGHPUT.value(nearest)),
                num(nearest.target().min()),
                ratio(nearest.toTarget()));
        if (!missed.isEmpty()) {
            text += " Missed the target: " + String.join(", ", missed) + ".";
        }
        return new Finding("Nearest to its target", text);
    }

    private static Finding spread(List<ScenarioResult> all) {
        ScenarioResult widest = all.stream()
                .max(Comparator.comparingDouble(r -> Figure.THROUGHPUT.spread(r).relativeIqr()))
                .orElseThrow();
        Spread s = Figure.THROUGHPUT.spread(widest);
        if (s.n() == 0) {
            return new Finding("Spread", "this file has no per-iteration figures, so no spread can be given.");
        }
        String text = String.format(
                Locale.ROOT,
                "%s varies most between iterations: throughput IQR %s/s is %.0f%% of its median %s/s (%d iterations,"
                        + " %s to %s/s).",
                widest.name(),
                num(s.iqr()),
                100 * s.relativeIqr(),
                num(s.median()),
                s.n(),
                num(s.min()),
                num(s.max()));
        if (s.relativeIqr() > NOISY) {
            text += String.format(
                    Locale.ROOT,
                    " Above %.0f%%, so its figures from this run are noisy; compare them as ratios within the run.",
                    100 * NOISY);
        }
        return new Finding("Spread", text);
    }

    private static Finding tail(List<ScenarioResult> all) {
        ScenarioResult worst = all.stream()
                .filter(r -> Figure.latency(r).p99() > 0)
                .max(Comparator.comparingDouble(
                        r -> Figure.latency(r).max() / Figure.latency(r).p99()))
                .orElse(all.getFirst());
        ScenarioResult.Latency l = Figure.latency(worst);
        return new Finding(
                "Latency tail",
                String.format(
                        Locale.ROOT,
                        "%s has the longest tail relative to its p99: max %s is %sx its p99 of %s (p50 %s, p99.9 %s).",
                        worst.name(),
                        Units.micros(l.max()),
                        ratio(l.p99() == 0 ? 0 : l.max() / l.p99()),
                        Units.micros(l.p99()),
                        Units.micros(l.p50()),
                        Units.micros(l.p999())));
    }

    /** Where the measured latency of a scenario with timed stages goes: the stage with the largest share. */
    static Optional<Finding> stages(List<ScenarioResult> all) {
        List<String> parts = new ArrayList<>();
        for (ScenarioResult r : all) {
            Map<String, Object> d = r.details();
            Optional<Double> snap = Details.number(d, "snapshot_us", "p50");
            Optional<Double> encode = Details.number(d, "encode_us", "p50");
            if (snap.isPresent() && encode.isPresent() && snap.get() + encode.get() > 0) {
                double total = snap.get() + encode.get();
                boolean encodeLarger = encode.get() >= snap.get();
                parts.add(String.format(
                        Locale.ROOT,
                        "%s: %s takes %.0f%% of snapshot() + encode at p50 (snapshot() %s, encode %s)",
                        r.name(),
                        encodeLarger ? "encode" : "snapshot()",
                        100 * Math.max(snap.get(), encode.get()) / total,
                        Units.micros(snap.get()),
                        Units.micros(encode.get())));
            }
            Optional<Double> marshal = Details.number(d, "marshal_us", "p50");
            Optional<Double> unmarshal = Details.number(d, "unmarshal_us", "p50");
            if (marshal.isPresent()
                    && unmarshal.isPresent()
                    && Figure.latency(r).p50() > 0) {
                double codec = marshal.get() + unmarshal.get();
                parts.add(String.format(
                        Locale.ROOT,
                        "%s: marshal + unmarshal (%s + %s at p50) are %.1f%% of the p50 send-to-check latency of %s;"
                                + " the rest is waiting in inboxes and scheduling",
                        r.name(),
                        Units.micros(marshal.get()),
                        Units.micros(unmarshal.get()),
                        100 * Math.min(1, codec / Figure.latency(r).p50()),
                        Units.micros(Figure.latency(r).p50())));
            }
        }
        return parts.isEmpty()
                ? Optional.empty()
                : Optional.of(new Finding("Where latency goes", String.join("; ", parts) + "."));
    }

    private static Finding recommendation(List<ScenarioResult> all, Optional<ScenarioResult> costliest) {
        List<String> steps = new ArrayList<>();
        List<String> missed = all.stream()
                .filter(r -> r.toTarget() < 1)
                .map(r -> String.format(
                        Locale.ROOT,
                        "%s (%s/s of %s/s)",
                        r.name(),
                        num(Figure.THROUGHPUT.value(r)),
                        num(r.target().min())))
                .toList();
        if (!missed.isEmpty()) {
            steps.add("the scenarios that missed their target: " + String.join(", ", missed));
        }
        costliest
                .filter(r -> r.baseline().ratio() < 1)
                .ifPresent(r -> steps.add(String.format(
                        Locale.ROOT,
                        "%s, where Colony does the work at %sx the speed of %s: the largest gap to a plain"
                                + " implementation",
                        r.name(),
                        ratio(r.baseline().ratio()),
                        r.baseline().name())));
        List<String> noisy = all.stream()
                .filter(r -> Figure.THROUGHPUT.spread(r).relativeIqr() > NOISY)
                .map(r -> String.format(
                        Locale.ROOT,
                        "%s (IQR %.0f%%)",
                        r.name(),
                        100 * Figure.THROUGHPUT.spread(r).relativeIqr()))
                .toList();
        if (!noisy.isEmpty()) {
            steps.add("re-run on a quieter machine or with more iterations the scenarios whose throughput spread"
                    + " exceeds " + Math.round(100 * NOISY) + "% of the median: " + String.join(", ", noisy));
        }
        String text = steps.isEmpty()
                ? "every scenario met its target, matched or beat its baseline, and spread less than "
                        + Math.round(100 * NOISY) + "%: nothing in this run's figures asks for work."
                : "first " + String.join("; then ", steps) + ".";
        return new Finding("Where to look first", text);
    }

    /** A rate as the findings write it: "600k", to be followed by its unit ("/s"). */
    static String num(double v) {
        return Units.rate(v);
    }

    static String ratio(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
