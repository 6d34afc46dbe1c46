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

    static String render(Viewer viewer, Counts counts, Figures.Now now, Nodes.Table nodes, Alerts alerts) {
        String main = "<section id=\"cards\" sse-swap=\"cards\">" + cards(counts, now, nodes, alerts) + "</section>"
                + "<h2>Last ten minutes</h2><div id=\"chart\" class=\"chart\"></div>"
                + "<div id=\"series\" sse-swap=\"series\" hx-swap=\"none\"></div>";
        return Html.page("Overview", "/dash/", viewer, true, main);
    }

    /** The cards, also sent on the feed as the {@code cards} event. */
    static String cards(Counts counts, Figures.Now now, Nodes.Table nodes, Alerts alerts) {
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
        nodes(b, nodes);
        return b.toString();
    }

    /**
     * The per-node table, when another server of the swarm was heard from (embedded, or alone on Redis: none). Each
     * row carries its exact rates in {@code data-} attributes; the total adds the rates of the nodes not gone and has
     * no percentile.
     */
    static void nodes(StringBuilder b, Nodes.Table table) {
        List<Nodes.Row> rows = table.rows();
        if (rows.isEmpty() || (rows.size() == 1 && rows.getFirst().self())) {
            return;
        }
        b.append("<h2>Nodes</h2><table id=\"nodes\"><thead><tr><th>node</th><th>events/s</th><th>messages/s</th>")
                .append("<th>completed/s</th><th>delivery p50 / p99</th></tr></thead><tbody>");
        int live = 0;
        for (Nodes.Row r : rows) {
            live += r.gone() ? 0 : 1;
            b.append("<tr data-node=\"")
                    .append(Html.esc(r.node()))
                    .append('"')
                    .append(r.gone() ? " class=\"gone\"" : "");
            data(b, r.eventsPerSecond(), r.messagesPerSecond(), r.completedPerSecond());
            b.append("><td>")
                    .append(Html.esc(r.node()))
                    .append(r.self() ? " (this server)" : "")
                    .append(r.gone() ? " — gone, silent over " + Nodes.GONE_SECONDS + " s" : "")
                    .append("</td><td>")
                    .append(rate(r.eventsPerSecond()))
                    .append("</td><td>")
                    .append(rate(r.messagesPerSecond()))
                    .append("</td><td>")
                    .append(rate(r.completedPerSecond()))
                    .append("</td><td>")
                    .append(millis(r.deliveryP50Nanos()))
                    .append(" / ")
                    .append(millis(r.deliveryP99Nanos()))
                    .append("</td></tr>");
        }
        b.append("<tr class=\"sum\" data-node=\"\"");
        data(b, table.eventsPerSecond(), table.messagesPerSecond(), table.completedPerSecond());
        b.append("><td>total of ")
                .append(live)
                .append(live == 1 ? " node" : " nodes")
                .append("</td><td>")
                .append(rate(table.eventsPerSecond()))
                .append("</td><td>")
                .append(rate(table.messagesPerSecond()))
                .append("</td><td>")
                .append(rate(table.completedPerSecond()))
                .append("</td><td>— (percentiles do not add)</td></tr></tbody></table>")
                .append("<p class=\"total\">Each server's own figures, published once a second on the swarm's bus;")
                .append(" completed/s is what was completed through that server. A node silent for ")
                .append(Nodes.GONE_SECONDS)
                .append(" s is gone and left out of the total; after ")
                .append(Nodes.DROP_SECONDS)
                .append(" s it is dropped.</p>");
    }

    private static void data(StringBuilder b, double events, double messages, double completed) {
        b.append(" data-events=\"")
                .append(events)
                .append("\" data-messages=\"")
                .append(messages)
                .append("\" data-completed=\"")
                .append(completed)
                .append('"');
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
