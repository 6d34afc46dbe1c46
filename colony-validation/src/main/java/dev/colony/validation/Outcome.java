package dev.colony.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run's exit code rests on, from its figures: where work was lost, duplicated or wrong (expected
 * and observed counts differ, for the headline, the baseline, or any variant in the details), which
 * original targets were missed, and which of Colony's goals were missed.
 *
 * <p>A verification failure means the code under test is wrong and always fails the run. A missed target
 * or goal says the machine or the code is slow, which a shared 2-core machine cannot settle; it fails the
 * run only when asked ({@code --fail-on-goals}).
 *
 * @param lostWork one entry per count that differs, "messenger.envelope_500b: 39,990 of 40,000"
 * @param targetsMissed the scenarios below the original report's target
 * @param goalsMissed Colony's goals this run missed
 */
public record Outcome(List<String> lostWork, List<String> targetsMissed, List<Goal> goalsMissed) {

    public Outcome {
        lostWork = List.copyOf(lostWork);
        targetsMissed = List.copyOf(targetsMissed);
        goalsMissed = List.copyOf(goalsMissed);
    }

    public static Outcome of(BenchReport report) {
        List<String> lost = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (ScenarioResult r : report.scenarios()) {
            check(lost, r.name(), r.verified());
            if (r.baseline() != null) {
                check(lost, r.name() + " baseline", r.baseline().verified());
            }
            nested(lost, r.name(), r.details());
            if (r.toTarget() < 1) {
                targets.add(r.name());
            }
        }
        List<Goal> goals = Goals.of(report).stream()
                .filter(g -> g.verdict() == Goal.Verdict.MISSED)
                .toList();
        return new Outcome(lost, targets, goals);
    }

    /** 1 when work was lost; with {@code failOnGoals}, also when a target or goal was missed; else 0. */
    public int exitCode(boolean failOnGoals) {
        if (!lostWork.isEmpty()) {
            return 1;
        }
        return failOnGoals && !(targetsMissed.isEmpty() && goalsMissed.isEmpty()) ? 1 : 0;
    }

    /** One sentence on verification for the top of a report. */
    public String verdictText() {
        return lostWork.isEmpty()
                ? "Verification: every unit of work was checked and counted, none lost, duplicated or wrong."
                : "VERIFICATION FAILED, work lost, duplicated or wrong: " + String.join("; ", lostWork) + ".";
    }

    private static void check(List<String> lost, String where, ScenarioResult.Verified verified) {
        if (verified != null && !verified.ok()) {
            lost.add(String.format(Locale.ROOT, "%s: %,d of %,d", where, verified.observed(), verified.expected()));
        }
    }

    /** Counts recorded in the details, as records from a run or as {expected, observed} maps from a file. */
    private static void nested(List<String> lost, String where, Map<?, ?> details) {
        for (Map.Entry<?, ?> e : details.entrySet()) {
            String at = where + "." + e.getKey();
            if (e.getValue() instanceof ScenarioResult.Verified v) {
                check(lost, at, v);
            } else if (e.getValue() instanceof Map<?, ?> map) {
                if (map.get("expected") instanceof Number exp && map.get("observed") instanceof Number obs) {
                    check(lost, at, new ScenarioResult.Verified(exp.longValue(), obs.longValue()));
                } else {
                    nested(lost, at, map);
                }
            }
        }
    }
}
