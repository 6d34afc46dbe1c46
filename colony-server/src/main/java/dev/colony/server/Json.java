package dev.colony.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.StringNode;

/** The server's JSON: one shared mapper, object literals, and the JSON form of values Colony holds as bytes. */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** An ordered JSON object of alternating names and values; null values are left out. */
    static Map<String, Object> obj(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value instanceof Instant instant) {
                value = instant.toString();
            }
            if (value != null) {
                map.put((String) namesAndValues[i], value);
            }
        }
        return map;
    }

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /** Parses a request body; a 400 naming the position of the first error otherwise. */
    static JsonNode parse(byte[] body, String what) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw Problem.badRequest(what + " is empty: expected a JSON document");
            }
            return node;
        } catch (JacksonException e) {
            throw Problem.badRequest("malformed JSON in " + what + ": " + e.getOriginalMessage());
        }
    }

    /** Bytes Colony stored (a memory value, a task payload or result) as JSON: parsed if they are JSON, else a string. */
    static JsonNode fromStored(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node == null || node.isMissingNode() ? StringNode.valueOf("") : node;
        } catch (JacksonException e) {
            return StringNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** A payload some Colony part published (a JsonNode from this server, or any Java value) as JSON. */
    static JsonNode fromPayload(Object payload) {
        if (payload instanceof JsonNode node) {
            return node;
        }
        if (payload instanceof byte[] bytes) {
            return fromStored(bytes);
        }
        try {
            return MAPPER.valueToTree(payload);
        } catch (JacksonException e) {
            return JsonNodeFactory.instance.stringNode(String.valueOf(payload));
        }
    }
}
