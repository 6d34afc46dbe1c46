package dev.colony.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * How the HTTP adapters of the contract suites map Java values to {@code /v1} and answers back: a 400
 * becomes the {@link IllegalArgumentException} the Java API throws (with the server's detail), other
 * unexpected answers an {@link IllegalStateException} quoting status and body.
 */
final class HttpWire {
    private HttpWire() {}

    /** A path segment, percent-encoded so that bad names reach the server and are refused there. */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON object of alternating names and values (null values left out). */
    static String json(Object... namesAndValues) {
        return new String(Json.write(Json.obj(namesAndValues)), StandardCharsets.UTF_8);
    }

    /** A duration as the server reads it (ISO-8601), null for none. */
    static String duration(Duration duration) {
        return duration == null ? null : duration.toString();
    }

    /** The body of an answer with status {@code expected}, or the exception the Java API would throw. */
    static JsonNode expect(Http.Res res, int expected) {
        if (res.status() == expected) {
            return res.text().isEmpty() ? Json.MAPPER.createObjectNode() : res.json();
        }
        throw failure(res);
    }

    static RuntimeException failure(Http.Res res) {
        if (res.status() == 400) {
            return new IllegalArgumentException(res.json().path("detail").asString());
        }
        return new IllegalStateException("unexpected answer " + res.status() + ": " + res.text());
    }

    /** A fence as the {@code fence} member of a body. */
    static Map<String, Object> fence(dev.colony.state.Fence fence) {
        return fence == null ? null : Json.obj("group", fence.group(), "term", fence.term());
    }
}
