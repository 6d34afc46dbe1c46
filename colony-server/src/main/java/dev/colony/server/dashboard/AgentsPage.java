package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRecord;
import dev.colony.state.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The agents page: the account's agents by id, a page at a time, with their inbox depth (messages waiting in an
 * inbox open on this server) and leases with their countdowns.
 */
final class AgentsPage {
    static final int PAGE_SIZE = 50;

    private AgentsPage() {}

    static String render(Colony colony, Viewer viewer, Function<AgentId, OptionalInt> inboxDepth, int page) {
        String main = "<div id=\"agents-table\" hx-get=\"/dash/agents/table?page=" + page
                + "\" hx-trigger=\"sse:changed\" hx-swap=\"innerHTML\">" + table(colony, viewer, inboxDepth, page)
                + "</div>";
        return Html.page("Agents", "/dash/agents", viewer, true, main);
    }

    /** The table and its pager, also fetched again whenever the feed says the state changed. */
    static String table(Colony colony, Viewer viewer, Function<AgentId, OptionalInt> inboxDepth, int page) {
        List<AgentRecord> all = colony.registry().select(r -> viewer.owns(r.id().value()));
        List<AgentRecord> sorted = all.stream()
                .sorted(Comparator.comparing(r -> r.id().value()))
                .skip((long) (page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
                .toList();
        Instant now = Instant.now();
        boolean admin = viewer.principal().admin();
        StringBuilder b = new StringBuilder(256 + 200 * sorted.size());
        b.append("<p class=\"total\">").append(all.size()).append(" agents</p>");
        b.append("<table class=\"agents\"><thead><tr><th>agent</th><th>role</th><th>status</th>")
                .append("<th>last heartbeat</th><th>inbox</th><th>leases</th><th>capabilities</th>")
                .append(admin ? "<th>actions</th>" : "")
                .append("</tr></thead><tbody>");
        for (AgentRecord r : sorted) {
            String id = viewer.local(r.id().value());
            List<Lease> leases = colony.tasks().leasesOf(r.id());
            b.append("<tr data-agent=\"")
                    .append(Html.esc(id))
                    .append("\"><td>")
                    .append(Html.esc(id))
                    .append("</td><td>")
                    .append(Html.esc(viewer.local(r.role())))
                    .append("</td><td class=\"status status-")
                    .append(r.status())
                    .append("\">")
                    .append(r.status())
                    .append("</td><td>")
                    .append(age(r.lastHeartbeat(), now))
                    .append("</td><td class=\"inbox\">")
                    .append(depth(inboxDepth.apply(r.id())))
                    .append("</td><td>")
                    .append(leases(viewer, leases, now))
                    .append("</td><td>")
                    .append(Html.esc(String.join(
                            " ",
                            r.capabilities().stream()
                                    .map(viewer::local)
                                    .sorted()
                                    .toList())))
                    .append("</td>");
            if (admin) {
                String back = "/dash/agents?page=" + page;
                b.append("<td>");
                if (r.status().isLive()) {
                    b.append(Html.action("drain", "agent", id, "Drain", back));
                }
                b.append(Html.action("deregister", "agent", id, "Deregister", back))
                        .append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        int pages = (all.size() + PAGE_SIZE - 1) / PAGE_SIZE;
        return b.append(Html.pager("/dash/agents", "", page, pages)).toString();
    }

    private static String leases(Viewer viewer, List<Lease> leases, Instant now) {
        if (leases.isEmpty()) {
            return "—";
        }
        StringBuilder b = new StringBuilder();
        for (Lease l : leases) {
            b.append("<div><a href=\"/dash/tasks/")
                    .append(Html.url(viewer.local(l.taskId())))
                    .append("\">")
                    .append(Html.esc(viewer.local(l.taskId())))
                    .append("</a> <span class=\"countdown\" data-until=\"")
                    .append(l.expiresAt().toEpochMilli())
                    .append("\">")
                    .append(Math.max(0, Duration.between(now, l.expiresAt()).toSeconds()))
                    .append(" s</span></div>");
        }
        return b.toString();
    }

    /** Messages waiting, or a dash when the agent has no inbox open on this server. */
    private static String depth(OptionalInt depth) {
        return depth.isPresent() ? Integer.toString(depth.getAsInt()) : "—";
    }

    static String age(Instant at, Instant now) {
        long ms = Math.max(0, Duration.between(at, now).toMillis());
        return ms < 1000 ? ms + " ms ago" : (ms / 1000) + " s ago";
    }
}
