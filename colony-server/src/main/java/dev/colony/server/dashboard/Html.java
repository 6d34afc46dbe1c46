package dev.colony.server.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTML building for the dashboard's pages: escaping, the page frame (head, navigation, the one SSE
 * connection) and small parts. No inline script or style anywhere: the Content-Security-Policy allows only
 * the server's own files.
 */
final class Html {
    /** The pages of the navigation bar: path and title. */
    static final List<String[]> NAV = List.of(
            new String[] {"/dash/", "Overview"},
            new String[] {"/dash/agents", "Agents"},
            new String[] {"/dash/tasks", "Tasks"},
            new String[] {"/dash/leaders", "Leaders"},
            new String[] {"/dash/memory", "Memory"},
            new String[] {"/dash/subjects", "Subjects"},
            new String[] {"/dash/dead-letters", "Dead letters"},
            new String[] {"/dash/alerts", "Alerts"});

    private Html() {}

    /** Text escaped for an HTML element or a quoted attribute. */
    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A value for a URL query parameter. */
    static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A whole page: the frame around {@code main}, connected to the feed unless {@code live} is false. */
    static String page(String title, String path, Viewer viewer, boolean live, String main) {
        StringBuilder b = new StringBuilder(4096 + main.length());
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false}'>")
                .append("<title>Colony · ")
                .append(esc(title))
                .append("</title>")
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<link rel=\"stylesheet\" href=\"/dash/assets/uPlot.min.css\">")
                .append("<link rel=\"stylesheet\" href=\"/dash/assets/dash.css\">")
                .append("<script src=\"/dash/assets/htmx.min.js\"></script>")
                .append("<script src=\"/dash/assets/sse.js\"></script>")
                .append("<script src=\"/dash/assets/uPlot.iife.min.js\"></script>")
                .append("<script src=\"/dash/assets/dash.js\" defer></script>")
                .append("</head><body");
        if (live) {
            b.append(" hx-ext=\"sse\" sse-connect=\"/dash/feed\"");
        }
        b.append("><header><span class=\"brand\">Colony</span><nav>");
        for (String[] item : NAV) {
            b.append("<a href=\"").append(item[0]).append('"');
            if (item[0].equals(path)) {
                b.append(" class=\"here\"");
            }
            b.append('>').append(item[1]).append("</a>");
        }
        b.append("</nav>");
        if (viewer != null) {
            b.append("<form class=\"who\" method=\"post\" action=\"/dash/logout\"><span>")
                    .append(esc(viewer.principal().account()))
                    .append(" · ")
                    .append(esc(viewer.principal().name()))
                    .append(viewer.principal().admin() ? " (admin)" : "")
                    .append("</span><button type=\"submit\">Sign out</button></form>");
        }
        b.append("</header><main><h1>").append(esc(title)).append("</h1>").append(main);
        b.append("</main></body></html>");
        return b.toString();
    }

    /** Links to the previous and next page of a list, keeping the other query parameters. */
    static String pager(String path, String query, int page, int pages) {
        StringBuilder b = new StringBuilder("<p class=\"pager\">");
        if (page > 1) {
            b.append("<a rel=\"prev\" href=\"")
                    .append(path)
                    .append("?page=")
                    .append(page - 1)
                    .append(query)
                    .append("\">← previous</a> ");
        }
        b.append("page ").append(page).append(" of ").append(Math.max(1, pages));
        if (page < pages) {
            b.append(" <a rel=\"next\" href=\"")
                    .append(path)
                    .append("?page=")
                    .append(page + 1)
                    .append(query)
                    .append("\">next →</a>");
        }
        return b.append("</p>").toString();
    }

    /** A one-button form posting to an action, returning to {@code back}. */
    static String action(String action, String name, String value, String label, String back) {
        return "<form class=\"inline\" method=\"post\" action=\"/dash/actions/" + action + "\">"
                + "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value) + "\">"
                + "<input type=\"hidden\" name=\"back\" value=\"" + esc(back) + "\">"
                + "<button type=\"submit\" class=\"act-" + action + "\">" + esc(label) + "</button></form>";
    }

    /** A figure card: a label and a value. */
    static String card(String id, String label, Object value) {
        return "<div class=\"card\" id=\"" + id + "\"><div class=\"label\">" + esc(label)
                + "</div><div class=\"value\">" + esc(value) + "</div></div>";
    }
}
