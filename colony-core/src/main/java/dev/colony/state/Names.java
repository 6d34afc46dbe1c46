package dev.colony.state;

import java.util.Objects;

/**
 * Validation of the names state uses in bus subjects ({@code colony.task.<id>.…}) and, later, Redis
 * keys: a token is 1 to {@value #MAX_TOKEN} characters from {@code [A-Za-z0-9_-]}; a memory key is one
 * or more tokens joined by dots, at most {@value #MAX_KEY} characters.
 */
final class Names {
    static final int MAX_TOKEN = 128;
    static final int MAX_KEY = 512;

    private Names() {}

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

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
