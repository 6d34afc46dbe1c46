package dev.colony.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A route's answer: a status, a content type, headers and either a body or a stream writer (for SSE).
 *
 * @param stream writes the body as it comes, on the request's (virtual) thread; null for a fixed body
 */
record Reply(int status, String contentType, Map<String, String> headers, byte[] body, Stream stream) {
    static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";

    /** A body written as it is produced; it returns when the stream ends. */
    @FunctionalInterface
    interface Stream {
        void write(OutputStream out) throws IOException;
    }

    static Reply json(int status, Object value) {
        return new Reply(status, JSON, Map.of(), Json.write(value), null);
    }

    static Reply ok(Object value) {
        return json(200, value);
    }

    static Reply text(int status, String contentType, String text) {
        return new Reply(status, contentType, Map.of(), text.getBytes(StandardCharsets.UTF_8), null);
    }

    static Reply noContent() {
        return new Reply(204, null, Map.of(), new byte[0], null);
    }

    static Reply events(Stream stream) {
        return new Reply(
                200, "text/event-stream", Map.of("Cache-Control", "no-cache", "X-Accel-Buffering", "no"), null, stream);
    }

    Reply withHeaders(Map<String, String> more) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putAll(more);
        return new Reply(status, contentType, all, body, stream);
    }
}
