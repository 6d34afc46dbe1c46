package dev.colony.server.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A dashboard answer: status, content type, body and extra headers (the security headers are always added). */
record Page(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String HTML = "text/html; charset=utf-8";

    static Page html(int status, String html) {
        return new Page(status, HTML, html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A small page with a title and one message, for errors and refusals. */
    static Page message(int status, String title, String message) {
        return html(
                status,
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.esc(title)
                        + "</title><link rel=\"stylesheet\" href=\"/dash/assets/dash.css\"></head><body><main><h1>"
                        + Html.esc(title) + "</h1><p class=\"error\" id=\"message\">" + Html.esc(message)
                        + "</p><p><a href=\"/dash/\">Dashboard</a></p></main></body></html>");
    }
}
