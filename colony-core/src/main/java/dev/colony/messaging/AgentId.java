package dev.colony.messaging;

/**
 * The name of an agent: a token of 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9_-]}.
 *
 * <p>The alphabet is deliberately narrow so that an agent id can be used unchanged as a token of a bus
 * subject ({@code agent.<id>.inbox}), in a Redis key and in the CloudEvents {@code source} URI
 * ({@code colony:agent/<id>}) without escaping. Ids are compared by their exact, case-sensitive text.
 *
 * @param value the id's text
 */
public record AgentId(String value) {
    /** The longest id accepted, in characters. */
    public static final int MAX_LENGTH = 128;

    /**
     * Validates an id.
     *
     * @throws IllegalArgumentException if {@code value} is empty, too long or holds a character outside
     *     {@code [A-Za-z0-9_-]}; the message quotes it
     * @throws NullPointerException if {@code value} is null
     */
    public AgentId {
        if (value == null) {
            throw new NullPointerException("agent id must not be null");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("invalid agent id \"\": must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid agent id \"" + value.substring(0, 61) + "...\": "
                    + value.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isIdChar(value.charAt(i))) {
                throw new IllegalArgumentException("invalid agent id \"" + value + "\": character '" + value.charAt(i)
                        + "' at index " + i + " is not one of [A-Za-z0-9_-]");
            }
        }
    }

    /** The id {@code value}; see {@link #AgentId(String)} for the rules. */
    public static AgentId of(String value) {
        return new AgentId(value);
    }

    /** The id's text. */
    @Override
    public String toString() {
        return value;
    }

    private static boolean isIdChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
