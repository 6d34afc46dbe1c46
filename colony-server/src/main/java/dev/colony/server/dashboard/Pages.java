package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.alert.Alerts;
import dev.colony.bus.Subject;
import dev.colony.messaging.AgentId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** The GET pages of the dashboard by path, for a signed-in viewer. */
record Pages(
        Colony colony,
        Alerts alerts,
        Feed feed,
        Timeline timeline,
        TaskHistory history,
        Subjects subjects,
        Replays replays,
        Function<AgentId, OptionalInt> inboxDepth,
        ToIntFunction<Subject> subscribers) {

    Page get(Viewer viewer, String path, Request request) {
        Fields query = Request.extractQueryParameters(request);
        return switch (path) {
            case "/dash", "/dash/" ->
                Page.html(200, OverviewPage.render(viewer, feed.counts(viewer), feed.now(), alerts));
            case "/dash/agents" -> Page.html(200, AgentsPage.render(colony, viewer, inboxDepth, page(query)));
            case "/dash/agents/table" -> Page.html(200, AgentsPage.table(colony, viewer, inboxDepth, page(query)));
            case "/dash/tasks" -> Page.html(200, TasksPage.render(colony, viewer, filter(query), feed.counts(viewer)));
            case "/dash/tasks/table" ->
                Page.html(200, TasksPage.table(colony, viewer, filter(query), feed.counts(viewer)));
            case "/dash/leaders" -> Page.html(200, LeadersPage.render(viewer, timeline));
            case "/dash/memory" -> Page.html(200, MemoryPage.render(colony, viewer, namespace(query), page(query)));
            case "/dash/memory/table" ->
                Page.html(200, MemoryPage.table(colony, viewer, namespace(query), page(query)));
            case "/dash/dead-letters" -> Page.html(200, DeadLettersPage.render(colony, viewer, replays, page(query)));
            case "/dash/subjects" -> Page.html(200, SubjectsPage.render(viewer, subjects, subscribers));
            case "/dash/alerts" -> Page.html(200, LeadersPage.alerts(viewer, alerts));
            default -> {
                if (path.startsWith("/dash/tasks/") && path.indexOf('/', "/dash/tasks/".length()) < 0) {
                    String id = URLDecoder.decode(path.substring("/dash/tasks/".length()), StandardCharsets.UTF_8);
                    yield Page.html(200, TasksPage.detail(colony, viewer, history, id));
                }
                yield Page.message(404, "Not found", "no dashboard page " + path);
            }
        };
    }

    static int page(Fields query) {
        String value = query.getValue("page");
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int page = Integer.parseInt(value.strip());
            if (page < 1 || page > 1_000_000) {
                throw new BadInput("page must be from 1 to 1000000, got " + page);
            }
            return page;
        } catch (NumberFormatException e) {
            throw new BadInput("page must be an integer, got \"" + value + "\"");
        }
    }

    /** The memory page's namespace, or null for the list of namespaces. */
    static String namespace(Fields query) {
        String ns = query.getValue("ns");
        return ns == null || ns.isBlank() ? null : ns.strip();
    }

    static TasksPage.Filter filter(Fields query) {
        String type = query.getValue("type");
        return new TasksPage.Filter(
                TasksPage.status(query.getValue("status")),
                type == null || type.isBlank() ? null : type.strip(),
                page(query));
    }
}
