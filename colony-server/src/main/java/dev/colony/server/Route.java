package dev.colony.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One route of the API: a method, a path template whose {@code {name}} segments capture one path segment
 * each, whether it is open (no token: health and the OpenAPI document), and its handler.
 */
record Route(String method, String template, boolean open, Handler handler) {

    /** A route's behaviour; thread-safe, called on a virtual thread, may block. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Call call);
    }

    static Route of(String method, String template, Handler handler) {
        return new Route(method, template, false, handler);
    }

    static Route open(String method, String template, Handler handler) {
        return new Route(method, template, true, handler);
    }

    List<String> segments() {
        return List.of(template.substring(1).split("/", -1));
    }

    /**
     * The captured path parameters if {@code segments} (of a request path) match {@code mine} (this
     * template's {@link #segments()}), else null.
     */
    static Map<String, String> match(List<String> mine, String[] segments) {
        if (mine.size() != segments.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.length; i++) {
            String expected = mine.get(i);
            if (expected.startsWith("{")) {
                if (segments[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(
                        expected.substring(1, expected.length() - 1),
                        URLDecoder.decode(segments[i], StandardCharsets.UTF_8));
            } else if (!expected.equals(segments[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }
}
