package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.state.Task;
import dev.colony.state.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The tasks pages: the list (filtered by status and type, a page at a time) and one task's detail. */
final class TasksPage {
    static final int PAGE_SIZE = 50;
    /** The order statuses are listed in when no status is chosen: the ones that need attention first. */
    static final List<TaskStatus> ORDER =
            List.of(TaskStatus.DEAD, TaskStatus.CLAIMED, TaskStatus.QUEUED, TaskStatus.COMPLETED, TaskStatus.CANCELLED);

    /** The list's filter: a status (null for all) and a type (null for all). */
    record Filter(TaskStatus status, String type, int page) {
        String query() {
            return (status == null ? "" : "&status=" + status) + (type == null ? "" : "&type=" + Html.url(type));
        }
    }

    private TasksPage() {}

    static String render(Colony colony, Viewer viewer, Filter filter, Counts counts) {
        StringBuilder main = new StringBuilder(8192);
        main.append(filterForm(filter));
        main.append("<div id=\"tasks-table\" hx-get=\"/dash/tasks/table?page=")
                .append(filter.page())
                .append(Html.esc(filter.query()))
                .append("\" hx-trigger=\"sse:changed\" hx-swap=\"innerHTML\">")
                .append(table(colony, viewer, filter, counts))
                .append("</div>");
        if (viewer.principal().admin()) {
            main.append(adminForms());
        }
        return Html.page("Tasks", "/dash/tasks", viewer, true, main.toString());
    }

    /**
     * The table and its pager, also fetched again whenever the feed says the state changed. Without a type
     * filter the totals come from {@code counts} (the feed's, shared for one period) and only the statuses
     * that hold the page are listed; a type filter looks at every task of the chosen statuses.
     */
    static String table(Colony colony, Viewer viewer, Filter filter, Counts counts) {
        String storedType = filter.type() == null ? null : viewer.stored(filter.type());
        List<Task> rows = new ArrayList<>(PAGE_SIZE);
        long skip = (long) (filter.page() - 1) * PAGE_SIZE;
        int total = 0;
        for (TaskStatus s : filter.status() == null ? ORDER : List.of(filter.status())) {
            if (storedType == null) {
                int inStatus = counts.tasks().get(s);
                if (total + inStatus <= skip || rows.size() == PAGE_SIZE) {
                    total += inStatus; // this status lies wholly before or after the page: not listed
                    continue;
                }
            }
            for (Task t : colony.tasks().byStatus(s)) {
                if (!viewer.owns(t.id())
                        || (storedType != null && !t.spec().type().equals(storedType))) {
                    continue;
                }
                if (total >= skip && rows.size() < PAGE_SIZE) {
                    rows.add(t);
                }
                total++;
            }
        }
        StringBuilder b = new StringBuilder(256 + 220 * rows.size());
        b.append("<p class=\"total\">").append(total).append(" tasks</p>");
        b.append("<table class=\"tasks\"><thead><tr><th>task</th><th>type</th><th>status</th><th>attempts</th>")
                .append("<th>holder</th><th>last error</th></tr></thead><tbody>");
        for (Task t : rows) {
            String id = viewer.local(t.id());
            b.append("<tr data-task=\"")
                    .append(Html.esc(id))
                    .append("\"><td><a href=\"/dash/tasks/")
                    .append(Html.url(id))
                    .append("\">")
                    .append(Html.esc(id))
                    .append("</a></td><td>")
                    .append(Html.esc(viewer.local(t.spec().type())))
                    .append("</td><td class=\"status status-")
                    .append(t.status())
                    .append("\">")
                    .append(t.status())
                    .append("</td><td>")
                    .append(t.attempts())
                    .append(" / ")
                    .append(t.spec().maxAttempts())
                    .append("</td><td>")
                    .append(
                            t.holder() == null
                                    ? "—"
                                    : Html.esc(viewer.local(t.holder().value())))
                    .append("</td><td>")
                    .append(t.lastError() == null ? "" : Html.esc(t.lastError()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        int pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
        return b.append(Html.pager("/dash/tasks", Html.esc(filter.query()), filter.page(), pages))
                .toString();
    }

    static String detail(Colony colony, Viewer viewer, TaskHistory history, String id) {
        Optional<Task> found = colony.tasks().get(viewer.stored(id));
        if (found.isEmpty() || !viewer.owns(found.get().id())) {
            return Html.page(
                    "Task " + id,
                    "/dash/tasks",
                    viewer,
                    false,
                    "<p class=\"error\">No task \"" + Html.esc(id) + "\" in account "
                            + Html.esc(viewer.principal().account()) + ".</p>");
        }
        Task t = found.get();
        StringBuilder b = new StringBuilder(2048);
        b.append("<dl class=\"task\">");
        row(
                b,
                "status",
                "<span class=\"status status-" + t.status() + "\" id=\"task-status\">" + t.status() + "</span>");
        row(b, "type", Html.esc(viewer.local(t.spec().type())));
        row(b, "attempts", t.attempts() + " of at most " + t.spec().maxAttempts());
        row(b, "priority", Integer.toString(t.spec().priority()));
        row(b, "submitted", Html.esc(t.submittedAt()));
        row(
                b,
                "holder",
                t.holder() == null ? "—" : Html.esc(viewer.local(t.holder().value())));
        row(b, "lease token", t.leaseToken() == 0 ? "—" : Long.toString(t.leaseToken()));
        row(b, "lease ends", t.leaseExpiresAt() == null ? "—" : Html.esc(t.leaseExpiresAt()));
        row(b, "not before", t.notBefore() == null ? "—" : Html.esc(t.notBefore()));
        row(
                b,
                "last error",
                t.lastError() == null ? "—" : "<span id=\"task-error\">" + Html.esc(t.lastError()) + "</span>");
        row(b, "payload", "<pre>" + Html.esc(preview(t.spec().payload())) + "</pre>");
        b.append("</dl>");
        historyTable(b, viewer, history.of(t.id()));
        if (viewer.principal().admin()) {
            String back = "/dash/tasks/" + Html.url(id);
            if (t.status() == TaskStatus.DEAD) {
                b.append(Html.action("requeue", "task", id, "Requeue", back));
            }
            if (t.status() == TaskStatus.QUEUED || t.status() == TaskStatus.CLAIMED) {
                b.append(Html.action("cancel", "task", id, "Cancel", back));
            }
        }
        return Html.page("Task " + id, "/dash/tasks", viewer, false, b.toString());
    }

    /** The task's lease history and refused fenced writes since the server started, oldest first. */
    private static void historyTable(StringBuilder b, Viewer viewer, List<TaskHistory.Step> entries) {
        b.append("<h2>Lease history</h2>");
        if (entries.isEmpty()) {
            b.append("<p class=\"total\">nothing seen since the server started</p>");
            return;
        }
        b.append("<p class=\"total\">the newest ")
                .append(TaskHistory.PER_TASK)
                .append(" changes and refused writes at most</p><table class=\"history\"><thead><tr><th>at</th>")
                .append("<th>change</th><th>holder</th><th>lease token</th><th>detail</th></tr></thead><tbody>");
        for (TaskHistory.Step e : entries) {
            b.append("<tr class=\"change-")
                    .append(Html.esc(e.change()))
                    .append("\"><td>")
                    .append(Html.esc(e.at()))
                    .append("</td><td>")
                    .append(Html.esc(e.change()))
                    .append("</td><td>")
                    .append(e.holder() == null ? "—" : Html.esc(viewer.local(e.holder())))
                    .append("</td><td>")
                    .append(e.leaseToken() == 0 ? "—" : Long.toString(e.leaseToken()))
                    .append("</td><td>")
                    .append(e.detail() == null ? "" : Html.esc(e.detail()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
    }

    private static void row(StringBuilder b, String name, String html) {
        b.append("<dt>").append(name).append("</dt><dd>").append(html).append("</dd>");
    }

    /** The payload as text, cut at 2 KiB. */
    static String preview(byte[] payload) {
        String text = new String(payload, 0, Math.min(payload.length, 2048), StandardCharsets.UTF_8);
        return payload.length > 2048 ? text + "… (" + payload.length + " bytes)" : text;
    }

    private static String filterForm(Filter f) {
        StringBuilder b = new StringBuilder("<form class=\"filter\" method=\"get\" action=\"/dash/tasks\">");
        b.append("<label>status <select name=\"status\"><option value=\"\">any</option>");
        for (TaskStatus s : TaskStatus.values()) {
            b.append("<option")
                    .append(s == f.status() ? " selected" : "")
                    .append('>')
                    .append(s)
                    .append("</option>");
        }
        b.append("</select></label> <label>type <input name=\"type\" value=\"")
                .append(f.type() == null ? "" : Html.esc(f.type()))
                .append("\"></label> <button type=\"submit\">Filter</button></form>");
        return b.toString();
    }

    private static String adminForms() {
        return "<h2>Admin</h2>" + Html.action("requeue-all", "status", "DEAD", "Requeue all dead tasks", "/dash/tasks")
                + "<form class=\"submit\" method=\"post\" action=\"/dash/actions/submit\">"
                + "<label>id <input name=\"id\" placeholder=\"generated\"></label> "
                + "<label>type <input name=\"type\" required></label> "
                + "<label>payload <input name=\"payload\" value=\"{}\"></label> "
                + "<input type=\"hidden\" name=\"back\" value=\"/dash/tasks\">"
                + "<button type=\"submit\" class=\"act-submit\">Submit task</button></form>";
    }

    static TaskStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return TaskStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInput(
                    "status must be one of QUEUED, CLAIMED, COMPLETED, DEAD, CANCELLED, got \"" + value + "\"");
        }
    }
}
