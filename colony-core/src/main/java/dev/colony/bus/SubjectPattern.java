package dev.colony.bus;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a subscription listens to: a NATS-style {@link Wildcard} pattern or a {@link Regex}.
 *
 * <p>Wildcard patterns are tokens separated by {@code .}; the token {@code *} matches exactly one token
 * and the token {@code >}, allowed only last, matches one or more trailing tokens. A pattern without
 * wildcards matches exactly one subject. Regex patterns match when the regular expression matches the
 * whole subject text. Patterns are validated and compiled once, when they are created.
 */
public sealed interface SubjectPattern permits SubjectPattern.Wildcard, SubjectPattern.Regex {

    /**
     * Parses a wildcard pattern such as {@code agent.*.heartbeat} or {@code task.>}.
     *
     * @throws IllegalArgumentException if the pattern is malformed; the message quotes it
     */
    static Wildcard of(String pattern) {
        if (pattern == null) {
            throw new NullPointerException("pattern must not be null");
        }
        return new Wildcard(pattern, Subject.split(pattern, "pattern", true));
    }

    /**
     * Compiles a regex pattern matched against the whole subject text.
     *
     * @throws IllegalArgumentException if the expression does not compile; the message quotes it
     */
    static Regex regex(String expression) {
        if (expression == null) {
            throw new NullPointerException("regex must not be null");
        }
        if (expression.isEmpty()) {
            throw new IllegalArgumentException("invalid regex \"\": must not be empty");
        }
        try {
            return new Regex(Pattern.compile(expression));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "invalid regex \"" + expression + "\": " + e.getDescription() + " near index " + e.getIndex(), e);
        }
    }

    /** Whether this pattern matches {@code subject}. */
    boolean matches(Subject subject);

    /** The pattern's source text. */
    String value();

    /** A NATS-style pattern of literal tokens, {@code *} and a trailing {@code >}. */
    final class Wildcard implements SubjectPattern {
        private final String value;
        private final String[] tokens;
        private final boolean literal;

        private Wildcard(String value, String[] tokens) {
            this.value = value;
            this.tokens = tokens;
            boolean anyWildcard = false;
            for (String token : tokens) {
                anyWildcard |= isWildcard(token);
            }
            this.literal = !anyWildcard;
        }

        @Override
        public String value() {
            return value;
        }

        /** The pattern's tokens, wildcards included. */
        public List<String> tokens() {
            return List.of(tokens);
        }

        /** True when the pattern has no wildcard and so matches exactly the subject of the same text. */
        public boolean isLiteral() {
            return literal;
        }

        int size() {
            return tokens.length;
        }

        String token(int index) {
            return tokens[index];
        }

        @Override
        public boolean matches(Subject subject) {
            if (literal) {
                return value.equals(subject.value());
            }
            int n = subject.size();
            for (int i = 0; i < tokens.length; i++) {
                String token = tokens[i];
                if (token.equals(">")) {
                    return n > i;
                }
                if (i >= n || (!token.equals("*") && !token.equals(subject.token(i)))) {
                    return false;
                }
            }
            return n == tokens.length;
        }

        static boolean isWildcard(String token) {
            return token.equals("*") || token.equals(">");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Wildcard other && value.equals(other.value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** A regular expression that must match the whole subject text. */
    final class Regex implements SubjectPattern {
        private final Pattern pattern;

        private Regex(Pattern pattern) {
            this.pattern = pattern;
        }

        @Override
        public String value() {
            return pattern.pattern();
        }

        @Override
        public boolean matches(Subject subject) {
            return pattern.matcher(subject.value()).matches();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Regex other && value().equals(other.value());
        }

        @Override
        public int hashCode() {
            return value().hashCode();
        }

        @Override
        public String toString() {
            return "regex:" + value();
        }
    }
}
