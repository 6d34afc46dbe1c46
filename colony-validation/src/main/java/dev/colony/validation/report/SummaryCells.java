package dev.colony.validation.report;

import dev.colony.validation.Goal;
import dev.colony.validation.Goals;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Units;
import java.util.List;
import java.util.Locale;

/** The cells the Markdown and HTML summaries share, so both state goals, counts and targets alike. */
final class SummaryCells {
    private SummaryCells() {}

    /** "1 of 2" goals met, "-" for a scenario without goals, "not measured" when none could be judged. */
    static String goalsMet(ScenarioResult r) {
        List<Goal> goals = Goals.of(r);
        long judged = goals.size() - Goals.count(goals, Goal.Verdict.NOT_MEASURED);
        if (goals.isEmpty()) {
            return "-";
        }
        return judged == 0 ? "not measured" : Goals.count(goals, Goal.Verdict.MET) + " of " + judged;
    }

    /** "156,000 / 156,000", with a warning when the counts differ. */
    static String verified(ScenarioResult r) {
        String counts = String.format(
                Locale.ROOT, "%,d / %,d", r.verified().observed(), r.verified().expected());
        return r.verified().ok() ? counts : counts + " LOST OR WRONG";
    }

    /** The original report's target and whether the median throughput reached it: "10.0k/s met". */
    static String target(ScenarioResult r) {
        return Units.rate(r.target().min()) + "/s " + (r.toTarget() < 1 ? "missed" : "met");
    }
}
