package dev.colony.server.auth;

import java.util.regex.Pattern;

/**
 * The agent ids a token may act as: a glob over one agent id, where {@code *} matches any run of id
 * characters (none included) and every other character only itself, so {@code worker-*} binds a token to
 * {@code worker-1}, {@code worker-2}, ... and {@code w1} to {@code w1} alone.
 *
 * <p>Why not a subject pattern: an agent id is a single token ({@code [A-Za-z0-9_-]}, see
 * {@link dev.colony.messaging.AgentId}), so a subject pattern could only say "this id" or "any id". Matching
 * is the textbook two-pointer glob walk: it backtracks only to the last {@code *}, so it costs at most
 * O(id length x glob length), both bounded by 128.
 */
record AgentGlob(String value) {
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9_*-]{1,128}");

    AgentGlob {
        if (value == null) {
            throw new NullPointerException("agent pattern must not be null");
        }
        if (!SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid agent pattern \"" + value
                    + "\": use 1-128 agent-id characters [A-Za-z0-9_-], with * for any run of them (e.g. worker-*)");
        }
    }

    /** Whether the agent id {@code id} matches. */
    boolean matches(String id) {
        int g = 0;
        int i = 0;
        int star = -1;
        int resume = 0;
        while (i < id.length()) {
            if (g < value.length() && value.charAt(g) == '*') {
                star = g++;
                resume = i;
            } else if (g < value.length() && value.charAt(g) == id.charAt(i)) {
                g++;
                i++;
            } else if (star >= 0) {
                g = star + 1; // let the last '*' take one more character
                i = ++resume;
            } else {
                return false;
            }
        }
        while (g < value.length() && value.charAt(g) == '*') {
            g++;
        }
        return g == value.length();
    }
}
