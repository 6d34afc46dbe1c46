package dev.colony.state;

import java.util.Objects;

/**
 * The rules for the names the coordination state uses in bus subjects ({@code colony.task.<id>.…}) and in
 * a backend's keys: a token (task id, type, role, capability, group, namespace) is 1 to
 * {@value #MAX_TOKEN} characters from {@code [A-Za-z0-9_-]}; a memory key is one or more tokens joined by
 * dots, at most {@value #MAX_KEY} characters; a key pattern may use {@code *} for a token and {@code >}
 * last. Every backend validates with these methods, so a name one accepts, all accept.
 *
 * <p>Each method returns its argument when it is valid and otherwise throws
 * {@link IllegalArgumentException} quoting it (shortened past 64 characters) and naming the rule.
 */
public final class Names {
    /** The longest token, in characters. */
    public static final int MAX_TOKEN = 128;
    /** The longest memory key or key pattern, in characters. */
    public static final int MAX_KEY = 512;

    private Names() {}

    /**
     * Checks a token.
     *
     * @param value the name
     * @param what what it names, for the message (such as {@code task id})
     * @return {@code value}
     */
    public static String token(String value, String what) {
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

    /**
     * Checks a memory key.
     *
     * @param value the key
     * @return {@code value}
     */
    public static String key(String value) {
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

    /**
     * Checks a memory key pattern: tokens joined by dots, where a token may be {@code *} and the last may be
     * {@code >}.
     *
     * @param pattern the pattern
     * @return {@code pattern}
     */
    public static String keyPattern(String pattern) {
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
        return pattern;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
