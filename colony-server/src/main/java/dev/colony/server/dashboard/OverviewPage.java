package dev.colony.server.dashboard;

import dev.colony.alert.AlertState;
import dev.colony.alert.Alerts;
import dev.colony.state.AgentStatus;
import dev.colony.state.TaskStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The overview: agents and tasks by status, rates, latencies, active alerts, and the ten-minute chart. */
final class OverviewPage {
    private OverviewPage() {}

    static String render(Viewer viewer, Counts counts, Figures.Now now, Alerts alerts) {
        String main = "<section id=\"cards\" sse-swap=\"cards\">" + cards(counts, now, alerts) + "</section>"
                + "<h2>Last ten minutes</h2><div id=\"chart\" class=\"chart\"></div>"
                + "<div id=\"series\" sse-swap=\"series\" hx-swap=\"none\"></div>";
        return Html.page("Overview", "/dash/", viewer, true, main);
    }

    /** The cards, also sent on the feed as the {@code cards} event. */
    static String cards(Counts counts, Figures.Now now, Alerts alerts) {
        StringBuilder b = new StringBuilder(2048);
        b.append("<div class=\"row\"><h2>Agents</h2>");
        for (AgentStatus s : AgentStatus.values()) {
            b.append(Html.card(
                    "agents-" + s.name().toLowerCase(Locale.ROOT),
                    s.name(),
                    counts.agents().get(s)));
        }
        b.append("</div><div class=\"row\"><h2>Tasks</h2>");
        for (TaskStatus s : TaskStatus.values()) {
            b.append(Html.card(
                    "tasks-" + s.name().toLowerCase(Locale.ROOT),
                    s.name(),
                    counts.tasks().get(s)));
        }
        b.append("</div><div class=\"row\"><h2>Flow</h2>")
                .append(Html.card("events-rate", "events/s", rate(now.eventsPerSecond())))
                .append(Html.card("messages-rate", "messages/s", rate(now.messagesPerSecond())))
                .append(Html.card("completed-rate", "completed/s", rate(now.completedPerSecond())))
                .append(Html.card(
                        "claim-complete",
                        "claim→complete p50 / p99",
                        millis(now.claimToCompleteP50Nanos()) + " / " + millis(now.claimToCompleteP99Nanos())))
                .append(Html.card(
                        "delivery",
                        "delivery p50 / p99",
                        millis(now.deliveryP50Nanos()) + " / " + millis(now.deliveryP99Nanos())));
        List<String> firing = firing(alerts);
        b.append(Html.card("alerts-active", "active alerts", firing.size()));
        b.append("</div>");
        if (!firing.isEmpty()) {
            b.append("<ul class=\"alerts\">");
            firing.forEach(name -> b.append("<li>").append(Html.esc(name)).append("</li>"));
            b.append("</ul>");
        }
        return b.toString();
    }

    static List<String> firing(Alerts alerts) {
        if (alerts == null) {
            return List.of();
        }
        return alerts.states().entrySet().stream()
                .filter(e -> e.getValue() == AlertState.FIRING)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    static String rate(double perSecond) {
        return perSecond >= 100 ? Long.toString(Math.round(perSecond)) : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
