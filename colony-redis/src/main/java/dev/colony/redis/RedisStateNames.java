package dev.colony.redis;

import java.util.Objects;

/**
 * The state's name rules, as in the embedded state (whose validator is internal to the core): a token is
 * 1 to {@value #MAX_TOKEN} characters from {@code [A-Za-z0-9_-]}; a memory key is tokens joined by dots,
 * at most {@value #MAX_KEY} characters; a key pattern may use {@code *} for a token and {@code >} last.
 */
final class RedisStateNames {
    static final int MAX_TOKEN = 128;
    static final int MAX_KEY = 512;

    private RedisStateNames() {}

    static String token(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.length() > MAX_TOKEN) {
            throw new IllegalArgumentException("invalid " + what + " \"" + shorten(value) + "\": must be 1 to "
                    + MAX_TOKEN + " characters from [A-Za-z0-9_-]");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isTokenChar(value.charAt(i))) {
                throw new IllegalArgumentException("invalid " + what + " \"" + value + "\": character '"
                        + value.charAt(i) + "' at index " + i + " is not one of [A-Za-z0-9_-]");
            }
        }
        return value;
    }

    static String key(String value) {
        Objects.requireNonNull(value, "key");
        if (value.isEmpty() || value.length() > MAX_KEY) {
            throw new IllegalArgumentException(
                    "invalid key \"" + shorten(value) + "\": must be 1 to " + MAX_KEY + " characters");
        }
        boolean tokenStart = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '.') {
                if (tokenStart) {
                    throw new IllegalArgumentException("invalid key \"" + value + "\": empty token at index " + i
                            + " (keys are tokens joined by dots)");
                }
                tokenStart = true;
            } else if (isTokenChar(c)) {
                tokenStart = false;
            } else {
                throw new IllegalArgumentException("invalid key \"" + value + "\": character '" + c + "' at index " + i
                        + " is not one of [A-Za-z0-9_-.]");
            }
        }
        if (tokenStart) {
            throw new IllegalArgumentException("invalid key \"" + value + "\": ends with a dot");
        }
        return value;
    }

    /** A key pattern is tokens joined by dots, where a token may be {@code *} and the last may be {@code >}. */
    static void keyPattern(String pattern) {
        Objects.requireNonNull(pattern, "keyPattern");
        String[] tokens = pattern.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.equals("*") || (token.equals(">") && i == tokens.length - 1)) {
                continue;
            }
            if (token.equals(">")) {
                throw new IllegalArgumentException(
                        "invalid keyPattern \"" + pattern + "\": '>' is allowed only as the last token");
            }
            try {
                token(token, "token");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "invalid keyPattern \"" + pattern + "\": token " + i + " \"" + token + "\" is not *, > or 1 to "
                                + MAX_TOKEN + " characters from [A-Za-z0-9_-]",
                        e);
            }
        }
        if (pattern.length() > MAX_KEY) {
            throw new IllegalArgumentException(
                    "invalid keyPattern: longer than " + MAX_KEY + " characters (" + pattern.length() + ")");
        }
    }

    static void positive(java.time.Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
