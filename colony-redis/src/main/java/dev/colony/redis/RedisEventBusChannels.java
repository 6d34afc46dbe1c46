package dev.colony.redis;

import dev.colony.bus.SubjectPattern;
import java.util.Locale;
import java.util.Objects;

/**
 * How the Redis event bus names channels and maps Colony subject patterns to Redis glob patterns
 * (docs/redis-protocol.md, "Events"; ADR 0016).
 *
 * <p>An event on subject {@code s} is published on channel {@code colony:{swarm}:ev:s}. A wildcard
 * pattern becomes the glob of its tokens joined by {@code .}, each literal token with the Redis glob
 * specials {@code ? * [ ] \} escaped by a backslash, and both {@code *} and {@code >} written as the glob
 * {@code *}. Redis's {@code *} crosses dots, so the glob matches a superset of the pattern's subjects:
 * the receiver matches every event again with {@link SubjectPattern#matches}. A regex pattern becomes
 * its literal prefix (see {@link #regexPrefix}) followed by {@code *}.
 *
 * <p><b>Node channels</b> (ADR 0075). A node that publishes on its node channel {@code colony:{swarm}:bus:<node>}
 * sends every event there, whatever its subject, so that one PUBLISH carries a drain of many subjects in
 * publish order; each frame then names its subject. Every node with a subscription PSUBSCRIBEs {@link
 * #nodeGlob()} beside its subject globs and routes node-channel events by their {@code subject} attribute.
 * The two prefixes ({@code :ev:} and {@code :bus:}) differ before any glob {@code *}, so no subject glob
 * matches a node channel and the node glob matches no subject channel.
 *
 * <p>{@link #globMatches} is Redis's glob matching restricted to what {@link #glob} writes (literal
 * characters, backslash escapes and {@code *}); the receiver uses it to pick one of several matching
 * patterns per message.
 */
final class RedisEventBusChannels {
    private static final String GLOB_SPECIALS = "?*[]\\";
    private static final String REGEX_META = ".[](){}*+?|^$\\";

    /** Where a node publishes its events (the {@code busChannels} backend option). */
    enum Publishing {
        /** On the node's own channel, batches across subjects (the default). */
        NODE,
        /** On one channel per subject, as before ADR 0075 (what subject-channel subscribers of other languages hear). */
        SUBJECT;

        /** {@code node} or {@code subject}, in any case. */
        static Publishing parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "node" -> NODE;
                case "subject" -> SUBJECT;
                default -> throw new IllegalArgumentException("expected node or subject, got '" + text + "'");
            };
        }
    }

    private final String prefix;
    private final String nodePrefix;

    RedisEventBusChannels(RedisTarget target) {
        this.prefix = target.key("ev:");
        this.nodePrefix = target.key("bus:");
    }

    /** The channel a node publishes on under {@link Publishing#NODE}: {@code colony:{swarm}:bus:<node>}. */
    String nodeChannel(String node) {
        return nodePrefix + node;
    }

    /** Whether {@code channel} is a node channel of this swarm. */
    boolean isNodeChannel(String channel) {
        return channel.startsWith(nodePrefix);
    }

    /** The Redis glob that matches every node channel of the swarm. */
    String nodeGlob() {
        StringBuilder glob = new StringBuilder();
        escape(nodePrefix, glob);
        return glob.append('*').toString();
    }

    /** The prefix of every event channel of the swarm: {@code colony:{swarm}:ev:}. */
    String prefix() {
        return prefix;
    }

    /** The channel of a subject. */
    String channel(String subject) {
        return prefix + subject;
    }

    /** The subject of a channel, or null when the channel is not one of this swarm's event channels. */
    String subject(String channel) {
        return channel.startsWith(prefix) && channel.length() > prefix.length()
                ? channel.substring(prefix.length())
                : null;
    }

    /** The Redis glob that matches every event channel of the swarm. */
    String everything() {
        StringBuilder glob = new StringBuilder();
        escape(prefix, glob);
        return glob.append('*').toString();
    }

    /** The Redis glob (PSUBSCRIBE pattern) that matches at least every channel of {@code pattern}'s subjects. */
    String glob(SubjectPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        StringBuilder glob = new StringBuilder(prefix.length() + pattern.value().length() + 8);
        escape(prefix, glob);
        switch (pattern) {
            case SubjectPattern.Wildcard wildcard -> {
                boolean first = true;
                for (String token : wildcard.tokens()) {
                    if (!first) {
                        glob.append('.');
                    }
                    first = false;
                    if (token.equals("*") || token.equals(">")) {
                        glob.append('*');
                    } else {
                        escape(token, glob);
                    }
                }
            }
            case SubjectPattern.Regex regex -> {
                escape(regexPrefix(regex.value()), glob);
                glob.append('*');
            }
        }
        return glob.toString();
    }

    private static void escape(String literal, StringBuilder out) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (GLOB_SPECIALS.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
    }

    /**
     * A literal text that every subject matched by the regular expression starts with; empty when none
     * can be told safely. It is the run of plain characters (and backslash-escaped punctuation) at the
     * start of the expression, less its last character when a quantifier follows, and empty when the
     * expression has an alternation {@code |} outside any group or character class.
     */
    static String regexPrefix(String regex) {
        if (hasTopLevelAlternation(regex)) {
            return "";
        }
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 < regex.length() && isEscapedLiteral(regex.charAt(i + 1))) {
                    literal.append(regex.charAt(i + 1));
                    i += 2;
                    continue;
                }
                break; // \d, \Q, \x2E...: not a plain character
            }
            if (REGEX_META.indexOf(c) >= 0) {
                if ((c == '?' || c == '*' || c == '{') && !literal.isEmpty()) {
                    literal.setLength(literal.length() - 1); // the last character is optional or repeated
                }
                break;
            }
            literal.append(c);
            i++;
        }
        return literal.toString();
    }

    private static boolean isEscapedLiteral(char c) {
        return !Character.isLetterOrDigit(c) && c < 128;
    }

    private static boolean hasTopLevelAlternation(String regex) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code channel} matches {@code glob}, for the globs {@link #glob} writes. */
    static boolean globMatches(String glob, String channel) {
        int g = 0;
        int c = 0;
        int starG = -1;
        int starC = 0;
        while (c < channel.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                starG = g++;
                starC = c;
            } else if (g < glob.length() && literalAt(glob, g) == channel.charAt(c)) {
                g += glob.charAt(g) == '\\' ? 2 : 1;
                c++;
            } else if (starG >= 0) {
                g = starG + 1;
                c = ++starC;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    private static char literalAt(String glob, int g) {
        char c = glob.charAt(g);
        return c == '\\' && g + 1 < glob.length() ? glob.charAt(g + 1) : c;
    }
}
