package dev.colony.bus;

import java.util.List;
import java.util.Objects;

/**
 * A subject an event is published on: tokens separated by {@code .}, such as {@code agent.42.heartbeat}.
 *
 * <p>A subject is validated once, when it is created: it is at most {@value #MAX_LENGTH} characters,
 * every token is non-empty, and no token contains whitespace or a wildcard character ({@code *} or
 * {@code >}). Subjects are immutable values compared by their text; create them once and reuse them on
 * hot paths.
 *
 * <p>This is a final class rather than a record because it keeps more than its text: its token count.
 * It does not keep its tokens: the router needs them only when it first routes the subject (a route
 * cache miss), and a cached route holds its subject for as long as it is cached, so kept tokens (one
 * string each) were most of the memory of the route cache (ADR 0039). {@link #token} cuts a token from
 * the text when asked.
 */
public final class Subject {
    /** The longest subject accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    private final String value;
    private final int size;

    private Subject(String value, int size) {
        this.value = value;
        this.size = size;
    }

    /**
     * Parses and validates a subject.
     *
     * @throws IllegalArgumentException if {@code value} is not a valid published subject; the message
     *     quotes it
     * @throws NullPointerException if {@code value} is null
     */
    public static Subject of(String value) {
        if (value == null) {
            throw new NullPointerException("subject must not be null");
        }
        return new Subject(value, count(value, "subject", false));
    }

    /** The subject's text. */
    public String value() {
        return value;
    }

    /** The number of tokens. */
    public int size() {
        return size;
    }

    /**
     * The token at {@code index}, counting from 0.
     *
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #size()}
     */
    public String token(int index) {
        Objects.checkIndex(index, size);
        int start = 0;
        for (int i = 0; i < index; i++) {
            start = value.indexOf('.', start) + 1;
        }
        int end = value.indexOf('.', start);
        return value.substring(start, end < 0 ? value.length() : end);
    }

    /** The tokens in order. */
    public List<String> tokens() {
        return List.of(value.split("\\.", -1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subject other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }

    /** Set in the result of {@link #count} when a token is a wildcard. */
    static final int HAS_WILDCARD = 1 << 16; // above any token count: at most MAX_LENGTH / 2 + 1 tokens

    /**
     * Validates {@code value} as tokens and returns how many there are, plus {@link #HAS_WILDCARD} when
     * one is a wildcard, without cutting them (a subscribe or a route miss would otherwise allocate a
     * string per token only to count them). Wildcard tokens ({@code *} anywhere, {@code >} last) are
     * accepted only when {@code wildcards} is true; partial wildcards such as {@code a*} are never
     * accepted.
     */
    static int count(String value, String what, boolean wildcards) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " \"\": must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " \"" + abbreviate(value) + "\" is " + value.length()
                    + " characters long; the limit is " + MAX_LENGTH);
        }
        int count = 0;
        int start = 0;
        boolean wildcardChar = false; // in the current token
        boolean anyWildcard = false;
        for (int i = 0; i <= value.length(); i++) {
            char c = i == value.length() ? '.' : value.charAt(i);
            if (c == '.') {
                checkToken(value, what, start, i, count, i == value.length(), wildcardChar, wildcards);
                count++;
                start = i + 1;
                anyWildcard |= wildcardChar;
                wildcardChar = false;
            } else if (c == '*' || c == '>') {
                wildcardChar = true;
            } else if (isSpace(c)) {
                throw new IllegalArgumentException("invalid " + what + " \"" + value + "\": whitespace at index " + i);
            }
        }
        return anyWildcard ? count | HAS_WILDCARD : count;
    }

    /** Checks the token {@code value[start, end)}; cuts it only to quote it in an error. */
    private static void checkToken(
            String value,
            String what,
            int start,
            int end,
            int position,
            boolean last,
            boolean hasWildcardChar,
            boolean wildcards) {
        if (start == end) {
            throw new IllegalArgumentException(
                    "invalid " + what + " \"" + value + "\": empty token at position " + position);
        }
        if (!hasWildcardChar) {
            return;
        }
        if (!wildcards) {
            throw new IllegalArgumentException("invalid " + what + " \"" + value
                    + "\": wildcards ('*', '>') are not allowed in a published subject");
        }
        if (end - start != 1) {
            throw new IllegalArgumentException("invalid " + what + " \"" + value + "\": token \""
                    + value.substring(start, end)
                    + "\" mixes a wildcard with other characters; '*' and '>' must be whole tokens");
        }
        if (value.charAt(start) == '>' && !last) {
            throw new IllegalArgumentException("invalid " + what + " \"" + value + "\": '>' must be the last token");
        }
    }

    /** Whitespace by either of Java's definitions, so that no-break spaces are refused too. */
    private static boolean isSpace(char c) {
        if (c > ' ' && c < 0x7f) {
            return false; // printable ASCII, the common case, without the two table lookups
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
