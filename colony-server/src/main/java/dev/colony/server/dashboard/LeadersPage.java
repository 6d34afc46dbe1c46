package dev.colony.server.dashboard;

import dev.colony.alert.Alert;
import dev.colony.alert.Alerts;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The leaders page (the term timeline and the refused stale writes) and the alerts page. */
final class LeadersPage {
    private LeadersPage() {}

    static String render(Viewer viewer, Timeline timeline) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<div id=\"leaders\" hx-get=\"/dash/leaders\" hx-select=\"#leaders\" hx-swap=\"outerHTML\"")
                .append(" hx-trigger=\"sse:changed\"><h2>Term timeline</h2>");
        List<Timeline.Change> changes = timeline.changes(viewer);
        if (changes.isEmpty()) {
            b.append("<p class=\"total\">no leader change since the server started</p>");
        } else {
            b.append("<table class=\"timeline\"><thead><tr><th>at</th><th>group</th><th>term</th><th>leader</th>")
                    .append("<th>change</th></tr></thead><tbody>");
            for (Timeline.Change c : changes) {
                b.append("<tr data-group=\"")
                        .append(Html.esc(viewer.local(c.group())))
                        .append("\" data-term=\"")
                        .append(c.term())
                        .append("\"><td>")
                        .append(Html.esc(c.at()))
                        .append("</td><td>")
                        .append(Html.esc(viewer.local(c.group())))
                        .append("</td><td class=\"term\">")
                        .append(c.term())
                        .append("</td><td>")
                        .append(Html.esc(viewer.local(c.leader())))
                        .append("</td><td class=\"change change-")
                        .append(Html.esc(c.change()))
                        .append("\">")
                        .append(Html.esc(c.change()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("<h2>Refused stale writes</h2>");
        List<Timeline.Refusal> refusals = timeline.refusals(viewer);
        if (refusals.isEmpty()) {
            b.append("<p class=\"total\">none refused since the server started</p>");
        } else {
            b.append(
                    "<table class=\"refusals\"><thead><tr><th>at</th><th>request</th><th>why</th></tr></thead><tbody>");
            for (Timeline.Refusal r : refusals) {
                b.append("<tr class=\"refusal\"><td>")
                        .append(Html.esc(r.at()))
                        .append("</td><td>")
                        .append(Html.esc(r.request()))
                        .append("</td><td>")
                        .append(Html.esc(r.detail()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("</div>");
        return Html.page("Leaders", "/dash/leaders", viewer, true, b.toString());
    }

    static String alerts(Viewer viewer, Alerts alerts) {
        StringBuilder b = new StringBuilder(2048);
        if (alerts == null) {
            b.append("<p class=\"total\">this server evaluates no alert rules</p>");
            return Html.page("Alerts", "/dash/alerts", viewer, true, b.toString());
        }
        Map<String, String> states = new TreeMap<>();
        alerts.states().forEach((name, state) -> states.put(name, state.name()));
        b.append("<table class=\"alert-states\"><thead><tr><th>rule</th><th>state</th></tr></thead><tbody>");
        states.forEach((name, state) -> b.append("<tr><td>")
                .append(Html.esc(name))
                .append("</td><td class=\"state-")
                .append(state)
                .append("\">")
                .append(state)
                .append("</td></tr>"));
        b.append("</tbody></table><h2>Recent notifications</h2><table><thead><tr><th>at</th><th>rule</th>")
                .append("<th>state</th><th>message</th></tr></thead><tbody>");
        for (Alert a : alerts.recent().reversed()) {
            b.append("<tr><td>")
                    .append(Html.esc(a.at()))
                    .append("</td><td>")
                    .append(Html.esc(a.rule().name()))
                    .append("</td><td>")
                    .append(a.state())
                    .append("</td><td>")
                    .append(Html.esc(a.message()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        return Html.page("Alerts", "/dash/alerts", viewer, true, b.toString());
    }
}
