package dev.colony.bus;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;

/**
 * What a subscription listens to: a NATS-style {@link Wildcard} pattern or a {@link Regex}.
 *
 * <p>Wildcard patterns are tokens separated by {@code .}; the token {@code *} matches exactly one token
 * and the token {@code >}, allowed only last, matches one or more trailing tokens. A pattern without
 * wildcards matches exactly one subject. Regex patterns match when the regular expression matches the
 * whole subject text. Patterns are validated and compiled once, when they are created.
 *
 * <p><b>Regex syntax.</b> Regex patterns use RE2 syntax (the RE2/J engine), whose matching time is linear
 * in the subject's length whatever the pattern, so no pattern can stall the router: {@code (.*a){12}b}
 * costs what {@code a.*b} costs. RE2 is the common core of {@code java.util.regex} (character classes,
 * {@code \d \w \s \b}, Unicode classes such as {@code \p{L}}, groups, named groups {@code (?P<name>...)},
 * alternation, greedy and lazy quantifiers, counted repetition up to 1,000, the flags {@code (?i)},
 * {@code (?s)}, {@code (?m)}, {@code (?U)}, {@code \Q...\E}) without the features that need backtracking:
 * backreferences ({@code \1}), lookahead and lookbehind ({@code (?=...)}, {@code (?!...)},
 * {@code (?<=...)}, {@code (?<!...)}), possessive quantifiers and atomic groups are refused with an
 * {@code IllegalArgumentException}. Java-only character-class syntax (intersections {@code [a-z&&[^b]]},
 * {@code \p{javaLowerCase}}) is not supported either; subjects hold no whitespace, so the engines'
 * different line-terminator rules for {@code .} never apply.
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
        return new Wildcard(pattern, Subject.count(pattern, "pattern", true));
    }

    /** The longest regex {@link #regex} accepts, in characters. */
    int MAX_REGEX_LENGTH = 1_024;

    /**
     * Compiles a regex pattern (RE2 syntax, see above) matched against the whole subject text.
     *
     * @throws IllegalArgumentException if the expression is empty, longer than {@value #MAX_REGEX_LENGTH}
     *     characters, or not RE2 syntax (backreferences and lookaround included); the message quotes it
     *     and says why
     */
    static Regex regex(String expression) {
        if (expression == null) {
            throw new NullPointerException("regex must not be null");
        }
        if (expression.isEmpty()) {
            throw new IllegalArgumentException("invalid regex \"\": must not be empty");
        }
        if (expression.length() > MAX_REGEX_LENGTH) {
            throw new IllegalArgumentException("regex \"" + Subject.abbreviate(expression) + "\" is "
                    + expression.length() + " characters long; the limit is " + MAX_REGEX_LENGTH);
        }
        try {
            return new Regex(Pattern.compile(expression));
        } catch (PatternSyntaxException e) {
            // RE2/J's description already quotes the offending part, e.g. "invalid escape sequence: `\1`"
            throw new IllegalArgumentException(
                    "invalid regex \"" + expression + "\": " + e.getDescription()
                            + " (subject regexes use RE2 syntax, matched in linear time:"
                            + " no backreferences, lookahead, lookbehind, possessive quantifiers or atomic groups)",
                    e);
        }
    }

    /** Whether this pattern matches {@code subject}. */
    boolean matches(Subject subject);

    /** The pattern's source text. */
    String value();

    /**
     * A NATS-style pattern of literal tokens, {@code *} and a trailing {@code >}. A pattern with a
     * wildcard keeps its tokens (matching and the route table's trie read them); a literal one, which is
     * matched and routed by its whole text, cuts them only when {@link #tokens} or {@link #token} asks.
     */
    final class Wildcard implements SubjectPattern {
        private final String value;
        private final String[] tokens; // null when literal
        private final int size;

        private Wildcard(String value, int counted) {
            this.value = value;
            this.size = counted & ~Subject.HAS_WILDCARD;
            this.tokens = (counted & Subject.HAS_WILDCARD) == 0 ? null : value.split("\\.", -1);
        }

        @Override
        public String value() {
            return value;
        }

        /** The pattern's tokens, wildcards included. */
        public List<String> tokens() {
            return List.of(tokens != null ? tokens : value.split("\\.", -1));
        }

        /** True when the pattern has no wildcard and so matches exactly the subject of the same text. */
        public boolean isLiteral() {
            return tokens == null;
        }

        int size() {
            return size;
        }

        String token(int index) {
            return tokens != null ? tokens[index] : Subject.of(value).token(index);
        }

        @Override
        public boolean matches(Subject subject) {
            if (tokens == null) {
                return value.equals(subject.value());
            }
            // walks the subject's text instead of cutting its tokens: the route table runs this over every
            // cached route when a wildcard subscription comes or goes
            String text = subject.value();
            int n = subject.size();
            int start = 0;
            for (int i = 0; i < tokens.length; i++) {
                String token = tokens[i];
                if (token.equals(">")) {
                    return n > i;
                }
                if (i >= n) {
                    return false;
                }
                int end = text.indexOf('.', start);
                end = end < 0 ? text.length() : end;
                if (!token.equals("*") && (token.length() != end - start || !text.startsWith(token, start))) {
                    return false;
                }
                start = end + 1;
            }
            return n == tokens.length;
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

    /** A regular expression (RE2 syntax) that must match the whole subject text; thread-safe. */
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
            return pattern.matches(subject.value()); // RE2/J: the whole text, in time linear in its length
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
