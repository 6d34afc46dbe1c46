package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.state.MemoryEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shared-memory page: the account's namespaces with their key counts, and one namespace's keys a page at a
 * time (key, version, size, expiry with a countdown, an escaped preview of the value cut at
 * {@value #PREVIEW_CHARS} characters).
 *
 * <p>The entries come from one consistent cut of the state ({@code colony.state().snapshot()}): shared memory
 * has no listing of its own, and the cut copies references under the state's lock (no encoding). Its cost grows
 * with the whole state, not only with the memory: see docs/benchmarks/serve.md.
 */
final class MemoryPage {
    static final int PAGE_SIZE = 50;
    static final int PREVIEW_CHARS = 160;

    private MemoryPage() {}

    static String render(Colony colony, Viewer viewer, String namespace, int page) {
        String query = namespace == null ? "" : "&ns=" + Html.url(namespace);
        String main = "<div id=\"memory\" hx-get=\"/dash/memory/table?page=" + page + Html.esc(query)
                + "\" hx-trigger=\"sse:changed\" hx-swap=\"innerHTML\">" + table(colony, viewer, namespace, page)
                + "</div>";
        return Html.page(namespace == null ? "Memory" : "Memory · " + namespace, "/dash/memory", viewer, true, main);
    }

    /** The namespaces (no namespace chosen) or one namespace's keys, fetched again when the state changed. */
    static String table(Colony colony, Viewer viewer, String namespace, int page) {
        List<MemoryEntry> mine = colony.state().snapshot().memory().stream()
                .filter(e -> viewer.owns(e.namespace()))
                .toList();
        return namespace == null ? namespaces(viewer, mine) : keys(viewer, mine, namespace, page);
    }

    private static String namespaces(Viewer viewer, List<MemoryEntry> mine) {
        record Totals(int keys, long bytes, Instant soonest) {}
        Map<String, Totals> byNamespace = new TreeMap<>();
        for (MemoryEntry e : mine) {
            byNamespace.merge(
                    viewer.local(e.namespace()),
                    new Totals(1, e.valueLength(), e.expiresAt()),
                    (a, b) -> new Totals(a.keys() + b.keys(), a.bytes() + b.bytes(), sooner(a.soonest(), b.soonest())));
        }
        Instant now = Instant.now();
        StringBuilder b = new StringBuilder(256 + 160 * byNamespace.size());
        b.append("<p class=\"total\">")
                .append(byNamespace.size())
                .append(" namespaces, ")
                .append(mine.size())
                .append(" live keys</p><table class=\"namespaces\"><thead><tr><th>namespace</th><th>keys</th>")
                .append("<th>bytes</th><th>next expiry</th></tr></thead><tbody>");
        byNamespace.forEach((ns, t) -> b.append("<tr data-namespace=\"")
                .append(Html.esc(ns))
                .append("\"><td><a href=\"/dash/memory?ns=")
                .append(Html.url(ns))
                .append("\">")
                .append(Html.esc(ns))
                .append("</a></td><td class=\"keys\">")
                .append(t.keys())
                .append("</td><td>")
                .append(t.bytes())
                .append("</td><td>")
                .append(expiry(t.soonest(), now))
                .append("</td></tr>"));
        return b.append("</tbody></table>").toString();
    }

    private static String keys(Viewer viewer, List<MemoryEntry> mine, String namespace, int page) {
        String stored = viewer.stored(namespace);
        List<MemoryEntry> entries = mine.stream()
                .filter(e -> e.namespace().equals(stored))
                .sorted(Comparator.comparing(MemoryEntry::key))
                .toList();
        Instant now = Instant.now();
        StringBuilder b = new StringBuilder(512 + 400 * PAGE_SIZE);
        b.append("<p class=\"total\"><a href=\"/dash/memory\">all namespaces</a> · ")
                .append(entries.size())
                .append(" live keys in ")
                .append(Html.esc(namespace))
                .append("</p><table class=\"memory\"><thead><tr><th>key</th><th>version</th><th>bytes</th>")
                .append("<th>expires</th><th>value</th></tr></thead><tbody>");
        for (MemoryEntry e : entries.stream()
                .skip((long) (page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
                .toList()) {
            b.append("<tr data-key=\"")
                    .append(Html.esc(e.key()))
                    .append("\"><td>")
                    .append(Html.esc(e.key()))
                    .append("</td><td class=\"version\">")
                    .append(e.version())
                    .append("</td><td>")
                    .append(e.valueLength())
                    .append("</td><td class=\"expires\">")
                    .append(expiry(e.expiresAt(), now))
                    .append("</td><td><code class=\"preview\">")
                    .append(Html.esc(preview(e.value())))
                    .append("</code></td></tr>");
        }
        b.append("</tbody></table>");
        int pages = (entries.size() + PAGE_SIZE - 1) / PAGE_SIZE;
        return b.append(Html.pager("/dash/memory", Html.esc("&ns=" + Html.url(namespace)), page, pages))
                .toString();
    }

    /** When an entry expires, with a countdown; "never" without a TTL. */
    static String expiry(Instant at, Instant now) {
        if (at == null) {
            return "never";
        }
        return Html.esc(at.truncatedTo(ChronoUnit.SECONDS)) + " <span class=\"countdown\" data-until=\""
                + at.toEpochMilli() + "\">"
                + Math.max(0, Duration.between(now, at).toSeconds()) + " s</span>";
    }

    /**
     * The start of a value as text: at most {@value #PREVIEW_CHARS} characters, control characters other than
     * newline and tab shown as U+FFFD, and the whole value's length when it was cut. Escaped by the caller.
     */
    static String preview(byte[] value) {
        int window = Math.min(value.length, PREVIEW_CHARS * 4); // a character is at most 4 bytes of UTF-8
        String text = new String(value, 0, window, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(Math.min(text.length(), PREVIEW_CHARS) + 24);
        int i = 0;
        for (int chars = 0; i < text.length() && chars < PREVIEW_CHARS; chars++) {
            int cp = text.codePointAt(i);
            out.appendCodePoint(Character.isISOControl(cp) && cp != '\n' && cp != '\t' ? '\uFFFD' : cp);
            i += Character.charCount(cp);
        }
        if (i < text.length() || window < value.length) {
            out.append("… (").append(value.length).append(" bytes)");
        }
        return out.toString();
    }

    private static Instant sooner(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
