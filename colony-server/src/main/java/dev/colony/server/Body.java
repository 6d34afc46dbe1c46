package dev.colony.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A JSON object from a request body with typed accessors: a missing required member or a member of the
 * wrong type is a 400 naming the member ({@code payload.priority}) and what it held.
 */
record Body(JsonNode node, String prefix) {

    String text(String name) {
        return optText(name).orElseThrow(() -> missing(name, "a string"));
    }

    Optional<String> optText(String name) {
        JsonNode v = member(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isString()) {
            throw wrong(name, "a string", v);
        }
        return Optional.of(v.stringValue());
    }

    int integer(String name, int fallback, int min, int max) {
        JsonNode v = member(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrong(name, "an integer", v);
        }
        int n = v.intValue();
        if (n < min || n > max) {
            throw Problem.badRequest(prefix + name + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    long longValue(String name) {
        JsonNode v = member(name);
        if (v == null) {
            throw missing(name, "an integer");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrong(name, "an integer", v);
        }
        return v.longValue();
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = member(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrong(name, "true or false", v);
        }
        return v.booleanValue();
    }

    Optional<Duration> duration(String name) {
        return optText(name).map(text -> Call.parseDuration(prefix + name, text));
    }

    List<String> strings(String name, int max) {
        JsonNode v = member(name);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrong(name, "an array of strings", v);
        }
        if (v.size() > max) {
            throw Problem.badRequest(prefix + name + " holds at most " + max + " strings, got " + v.size());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isString()) {
                throw wrong(name + "[" + i + "]", "a string", item);
            }
            out.add(item.stringValue());
        }
        return out;
    }

    Map<String, String> stringMap(String name) {
        JsonNode v = member(name);
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw wrong(name, "an object of strings", v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var entry : v.properties()) {
            if (!entry.getValue().isString()) {
                throw wrong(name + "." + entry.getKey(), "a string", entry.getValue());
            }
            out.put(entry.getKey(), entry.getValue().stringValue());
        }
        return out;
    }

    /** A member of any JSON type, or null if absent (a JSON null counts as absent). */
    JsonNode member(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    JsonNode required(String name) {
        JsonNode v = member(name);
        if (v == null) {
            throw missing(name, "a JSON value");
        }
        return v;
    }

    private Problem missing(String name, String what) {
        return Problem.badRequest("member " + prefix + name + " is missing: expected " + what);
    }

    private Problem wrong(String name, String what, JsonNode v) {
        String shown = v.toString();
        if (shown.length() > 64) {
            shown = shown.substring(0, 61) + "...";
        }
        return Problem.badRequest("member " + prefix + name + " must be " + what + ", got " + kind(v) + " " + shown);
    }

    static String kind(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isString()) {
            return "a string";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }
}
