package dev.colony.validation.report;

import dev.colony.validation.Goal;
import java.util.List;

/** The HTML report's first section: Colony's goals, each judged from the run's figures, table and chart. */
final class HtmlGoals {
    private HtmlGoals() {}

    static String render(List<Goal> goals) {
        StringBuilder out = new StringBuilder("<section id=\"goals\">\n<h2>Colony's goals</h2>\n");
        out.append(
                "<p>Colony's own goals (docs/workloads.md), judged from this run's figures. measured / goal is oriented"
                        + " so that 1x is the goal and above 1x is better (goal / measured for an upper limit).</p>\n");
        out.append("<table>\n<tr><th>scenario</th><th>goal</th><th>limit</th><th>measured</th>")
                .append("<th>measured / goal</th><th>verdict</th></tr>\n");
        for (Goal g : goals) {
            out.append("<tr><td>")
                    .append(HtmlReport.escape(g.scenario()))
                    .append("</td><td class=\"text\">")
                    .append(HtmlReport.escape(g.name()))
                    .append("</td><td>")
                    .append(HtmlReport.escape(g.goalText()))
                    .append("</td><td>")
                    .append(HtmlReport.escape(g.measuredText()))
                    .append("</td><td>")
                    .append(g.measured() == null ? "" : HtmlReport.escape(Findings.ratio(g.ratio()) + "x"))
                    .append("</td><td>")
                    .append(verdict(g))
                    .append("</td></tr>\n");
        }
        out.append("</table>\n<div class=\"chart\">\n")
                .append(SvgCharts.goals(goals))
                .append("</div>\n</section>\n");
        return out.toString();
    }

    private static String verdict(Goal g) {
        return switch (g.verdict()) {
            case MET -> "<span class=\"pass\">met</span>";
            case MISSED -> "<span class=\"fail\">missed</span>";
            case NOT_MEASURED -> "not measured";
        };
    }
}
