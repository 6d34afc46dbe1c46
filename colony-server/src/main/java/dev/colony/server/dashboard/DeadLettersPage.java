package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.messaging.DeadLetter;
import java.util.List;
import java.util.Optional;

/**
 * The dead letters page: the messages to the account's agents that could not be delivered, newest first, a page
 * at a time, with the message's size. An admin can replay a letter whose whole message was kept ({@link
 * Replays}); the letter stays in the messenger's queue (which cannot be picked from) and is marked replayed.
 */
final class DeadLettersPage {
    static final int PAGE_SIZE = 50;

    private DeadLettersPage() {}

    static String render(Colony colony, Viewer viewer, Replays replays, int page) {
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
                .append("<th>reason</th><th>detail</th><th>bytes</th><th>replay</th></tr></thead><tbody>");
        for (DeadLetter d : mine.stream()
                .skip((long) (page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
                .toList()) {
            var e = d.envelope();
            String key = Replays.key(d);
            b.append("<tr data-letter=\"")
                    .append(key)
                    .append("\" data-to=\"")
                    .append(Html.esc(viewer.local(d.recipient().value())))
                    .append("\"><td>")
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
                    .append("</td><td>")
                    .append(d.bytes() == null ? "—" : Long.toString(d.encodedLength()))
                    .append("</td><td class=\"replay\">")
                    .append(replay(viewer, replays, d, key, page))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>")
                .append(Html.pager("/dash/dead-letters", "", page, (mine.size() + PAGE_SIZE - 1) / PAGE_SIZE))
                .append("</div>");
        return Html.page("Dead letters", "/dash/dead-letters", viewer, true, b.toString());
    }

    private static String replay(Viewer viewer, Replays replays, DeadLetter d, String key, int page) {
        if (replays.wasReplayed(key)) {
            return "replayed";
        }
        Optional<String> refusal = Replays.refusal(d);
        if (refusal.isPresent()) {
            return "<span class=\"refusal\">not replayable: " + Html.esc(refusal.get()) + "</span>";
        }
        return viewer.principal().admin()
                ? Html.action("replay", "letter", key, "Replay", "/dash/dead-letters?page=" + page)
                : "—";
    }
}
