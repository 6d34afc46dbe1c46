package dev.colony.server;

import java.util.Locale;
import java.util.Set;

/**
 * The Host and Origin checks applied to every request, against DNS rebinding and cross-site requests from
 * browsers: the Host header must name an allowed host (on a loopback bind: {@code localhost},
 * {@code 127.0.0.1} or {@code [::1]}; otherwise any host unless a list was given), and an Origin header,
 * when present, must be the same origin as the Host or an allowed origin. A request without an Origin
 * (curl, agents, SDKs) passes the Origin check: browsers always send one on cross-origin requests.
 *
 * @param hosts allowed host names (lower case, without port); empty means any
 * @param origins allowed origins besides the same origin, such as {@code https://dash.example.com}
 */
record HostPolicy(Set<String> hosts, Set<String> origins) {
    static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    HostPolicy {
        hosts = Set.copyOf(hosts);
        origins = Set.copyOf(origins);
    }

    void check(String host, String origin) {
        if (host == null || host.isBlank()) {
            throw Problem.badRequest("the Host header is missing");
        }
        String name = hostName(host);
        if (!hosts.isEmpty() && !hosts.contains(name)) {
            throw new Problem(
                    421,
                    "FORBIDDEN_HOST",
                    "Host \"" + host + "\" is not served here (allowed: "
                            + String.join(", ", new java.util.TreeSet<>(hosts)) + ")");
        }
        if (origin == null) {
            return;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        boolean same = lower.equals("http://" + host.toLowerCase(Locale.ROOT))
                || lower.equals("https://" + host.toLowerCase(Locale.ROOT));
        if (!same && !origins.contains(lower)) {
            throw new Problem(
                    403,
                    "FORBIDDEN_ORIGIN",
                    "Origin \"" + origin + "\" is not allowed (same origin as Host \"" + host
                            + "\" or a configured origin only)");
        }
    }

    /** The host of a Host header, lower case, without the port. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
