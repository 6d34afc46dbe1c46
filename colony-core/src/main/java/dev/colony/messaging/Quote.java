package dev.colony.messaging;

/**
 * A received value as quoted in a refusal's reason: whole when short, otherwise its first 64 characters
 * and its length, so that a reason (kept in a dead letter, logged) stays one short line whatever was sent.
 */
final class Quote {
    static final int MAX_QUOTED = 64;

    private Quote() {}

    /** {@code value}, or its first {@value #MAX_QUOTED} characters followed by "... (N characters)". */
    static String of(String value) {
        if (value.length() <= MAX_QUOTED) {
            return value;
        }
        return value.substring(0, MAX_QUOTED) + "... (" + value.length() + " characters)";
    }

    /** The first line of {@code text} (a library's or a constructor's complaint), at most 240 characters. */
    static String line(String text) {
        if (text == null) {
            return "(no detail)";
        }
        int end = text.indexOf('\n');
        String first = (end < 0 ? text : text.substring(0, end)).strip();
        return first.length() <= 240 ? first : first.substring(0, 240) + "...";
    }
}
