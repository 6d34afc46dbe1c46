package dev.colony.server.dashboard;

import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The subjects page: the account's published subjects as a tree, with event counts, rates, and how many
 * subscribers a publish on each would reach now: the bus's subscriptions in this process ({@link
 * EventBus#subscriberCount}; on Redis, this server's only) and the API's event streams, but not the server's own
 * replay ring. A wildcard subscriber counts for every subject it matches.
 */
final class SubjectsPage {
    private SubjectsPage() {}

    static String render(Viewer viewer, Subjects subjects, ToIntFunction<Subject> subscribers) {
        TreeMap<String, Subjects.Rate> mine = subjects.of(viewer.principal().account());
        StringBuilder b = new StringBuilder(4096);
        b.append("<div id=\"subjects\" hx-get=\"/dash/subjects\" hx-select=\"#subjects\" hx-swap=\"outerHTML\"")
                .append(" hx-trigger=\"sse:changed\"><p class=\"total\">")
                .append(mine.size())
                .append(" subjects published since the server started")
                .append(
                        subjects.overflow() > 0
                                ? " (" + subjects.overflow() + " events on subjects past the first "
                                        + Subjects.MAX_SUBJECTS + " not broken down)"
                                : "")
                .append(
                        "</p><table class=\"subjects\"><thead><tr><th>subject</th><th>events</th><th>events/s</th><th>subscribers</th>")
                .append("</tr></thead><tbody>");
        String[] last = new String[0];
        for (Map.Entry<String, Subjects.Rate> e : mine.entrySet()) {
            String[] tokens = e.getKey().split("\\.");
            int common = 0;
            while (common < Math.min(last.length, tokens.length - 1) && last[common].equals(tokens[common])) {
                common++;
            }
            for (int depth = common; depth < tokens.length - 1; depth++) { // the branches not shown yet
                b.append("<tr class=\"branch\"><td class=\"depth-")
                        .append(Math.min(depth, 8))
                        .append("\">")
                        .append(Html.esc(tokens[depth]))
                        .append(".</td><td></td><td></td><td></td></tr>");
            }
            b.append("<tr data-subject=\"")
                    .append(Html.esc(e.getKey()))
                    .append("\"><td class=\"depth-")
                    .append(Math.min(tokens.length - 1, 8))
                    .append("\">")
                    .append(Html.esc(tokens[tokens.length - 1]))
                    .append("</td><td>")
                    .append(e.getValue().total())
                    .append("</td><td>")
                    .append(OverviewPage.rate(e.getValue().perSecond()))
                    .append("</td><td class=\"subscribers\">")
                    .append(subscribers.applyAsInt(
                            Subject.of(Subjects.stored(viewer.principal().account(), e.getKey()))))
                    .append("</td></tr>");
            last = tokens;
        }
        b.append("</tbody></table></div>");
        return Html.page("Subjects", "/dash/subjects", viewer, true, b.toString());
    }
}
