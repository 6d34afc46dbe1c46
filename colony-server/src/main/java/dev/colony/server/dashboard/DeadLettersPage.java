package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.messaging.DeadLetter;
import java.util.List;

/**
 * The dead letters page: the messages to the account's agents that could not be delivered, newest first, a page
 * at a time. Read-only: the messenger's dead-letter queue can be drained or polled but not picked from, so a
 * replay of one letter is not offered yet.
 */
final class DeadLettersPage {
    static final int PAGE_SIZE = 50;

    private DeadLettersPage() {}

    static String render(Colony colony, Viewer viewer, int page) {
        List<DeadLetter> mine = colony.messenger().deadLetters().peekAll().reversed().stream()
                .filter(d -> d.recipient() != null && viewer.owns(d.recipient().value()))
                .toList();
        StringBuilder b = new StringBuilder(4096);
        b.append("<div id=\"dead-letters\" hx-get=\"/dash/dead-letters?page=")
                .append(page)
                .append("\" hx-select=\"#dead-letters\" hx-swap=\"outerHTML\" hx-trigger=\"sse:changed\">")
                .append("<p class=\"total\">")
                .append(mine.size())
                .append(" dead letters kept</p>")
                .append("<table class=\"dead-letters\"><thead><tr><th>at</th><th>to</th><th>from</th><th>type</th>")
                .append("<th>reason</th><th>detail</th></tr></thead><tbody>");
        for (DeadLetter d : mine.stream()
                .skip((long) (page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
                .toList()) {
            var e = d.envelope();
            b.append("<tr><td>")
                    .append(Html.esc(d.time()))
                    .append("</td><td>")
                    .append(Html.esc(viewer.local(d.recipient().value())))
                    .append("</td><td>")
                    .append(
                            e == null || e.source() == null
                                    ? "—"
                                    : Html.esc(viewer.local(e.source().value())))
                    .append("</td><td>")
                    .append(e == null ? "—" : Html.esc(e.type()))
                    .append("</td><td>")
                    .append(d.reason())
                    .append("</td><td>")
                    .append(d.detail() == null ? "" : Html.esc(d.detail()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>")
                .append(Html.pager("/dash/dead-letters", "", page, (mine.size() + PAGE_SIZE - 1) / PAGE_SIZE))
                .append("</div>");
        return Html.page("Dead letters", "/dash/dead-letters", viewer, true, b.toString());
    }
}
