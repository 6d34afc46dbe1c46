package dev.colony.server.mcp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tool call's arguments, read with clear errors: a missing or mistyped argument is a {@link ToolError}
 * naming it and quoting the bad value.
 */
record Args(String tool, Map<String, Object> values) {

    Args {
        values = values == null ? Map.of() : values;
    }

    String text(String name) {
        return optText(name)
                .orElseThrow(() -> ToolError.badArgument(tool + " needs the argument " + name + " (a string)"));
    }

    Optional<String> optText(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw ToolError.badArgument(
                    "argument " + name + " of " + tool + " must be a non-empty string, got " + quote(v));
        }
        return Optional.of(s);
    }

    long number(String name) {
        return optNumber(name)
                .orElseThrow(() -> ToolError.badArgument(tool + " needs the argument " + name + " (an integer)"));
    }

    Optional<Long> optNumber(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Optional.of(n.longValue());
        }
        if (v instanceof String s && s.matches("-?\\d{1,18}")) {
            return Optional.of(Long.parseLong(s));
        }
        throw ToolError.badArgument("argument " + name + " of " + tool + " must be an integer, got " + quote(v));
    }

    /** Seconds from 1 to {@code max}, or the default when absent. */
    long seconds(String name, long fallback, long min, long max) {
        long s = optNumber(name).orElse(fallback);
        if (s < min || s > max) {
            throw ToolError.badArgument(
                    "argument " + name + " of " + tool + " must be from " + min + " to " + max + " seconds, got " + s);
        }
        return s;
    }

    boolean bool(String name, boolean fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw ToolError.badArgument("argument " + name + " of " + tool + " must be true or false, got " + quote(v));
    }

    List<String> strings(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> list && list.stream().allMatch(e -> e instanceof String)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw ToolError.badArgument("argument " + name + " of " + tool + " must be a list of strings, got " + quote(v));
    }

    /** Any JSON value (object, array, string, number...), or null when absent. */
    Object json(String name) {
        return values.get(name);
    }

    /** The optional fence {@code {"lock": "...", "term": N}} in the /v1 form {@code {"group", "term"}}. */
    Map<String, Object> fence() {
        Object v = values.get("fence");
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m && m.get("lock") instanceof String lock && m.get("term") instanceof Number term) {
            return Map.of("group", lock, "term", term.longValue());
        }
        throw ToolError.badArgument("argument fence of " + tool
                + " must be {\"lock\": \"<name>\", \"term\": <the term lock gave>}, got " + quote(v));
    }

    private static String quote(Object v) {
        String s = String.valueOf(v);
        return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
    }
}
