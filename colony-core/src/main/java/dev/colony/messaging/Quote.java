package dev.colony.messaging;

/**
 * A received value as quoted in a refusal's reason: whole when short, otherwise its first 64 characters
 * and its length, so that a reason (kept in a dead letter, logged) stays one short line whatever was sent.
 */
final class Quote {
    static final int MAX_QUOTED = 64;

    private Quote() {}

    /**
     * {@code value}, or its first {@value #MAX_QUOTED} characters followed by "... (N characters)"; control
     * characters are escaped ({@code \n}, {@code \u0000}) so the reason stays one line.
     */
    static String of(String value) {
        String shown = value.length() <= MAX_QUOTED ? value : value.substring(0, MAX_QUOTED);
        StringBuilder quoted = new StringBuilder(shown.length() + 8);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '\n') {
                quoted.append("\\n");
            } else if (Character.isISOControl(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return value.length() <= MAX_QUOTED ? quoted.toString() : quoted + "... (" + value.length() + " characters)";
    }

    /**
     * The first line of {@code text} (a library's or a constructor's complaint), at most 240 characters and
     * with other control characters escaped.
     */
    static String line(String text) {
        if (text == null) {
            return "(no detail)";
        }
        int end = text.indexOf('\n');
        String first = (end < 0 ? text : text.substring(0, end)).strip();
        if (first.length() > 240) {
            first = first.substring(0, 240) + "...";
        }
        StringBuilder line = new StringBuilder(first.length());
        first.chars().forEach(c -> line.append(Character.isISOControl(c) ? "\\u%04x".formatted(c) : (char) c));
        return line.toString();
    }
}
