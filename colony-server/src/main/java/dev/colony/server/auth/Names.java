package dev.colony.server.auth;

import dev.colony.bus.SubjectPattern;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules for the names a token carries: account and token names become subject tokens of
 * {@code colony.audit.<account>.<name>}, permissions and agent patterns are Colony wildcard patterns.
 */
final class Names {
    /** The account the server keeps for its own subjects ({@code colony.audit.>}); no token may use it. */
    static final String RESERVED_ACCOUNT = "colony";

    static final int MAX_NAME_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_NAME_LENGTH + "}");

    /** The first tokens a permission may start with: the action prefixes, or a wildcard. */
    private static final List<String> FIRST_TOKENS =
            List.of("pub", "sub", "task", "memory", "leader", "inbox", "agent", "admin", "*", ">");

    private Names() {}

    /** {@code value} when it is a valid token or account name, else an exception naming {@code what}. */
    static String name(String what, String value) {
        if (value == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " \"" + value + "\": use 1-" + MAX_NAME_LENGTH
                    + " letters, digits, '_' or '-' (it becomes a token of the audit subject"
                    + " colony.audit.<account>.<name>)");
        }
        return value;
    }

    /** {@code value} when it is a valid account name that is not reserved. */
    static String account(String value) {
        name("account", value);
        if (value.equals(RESERVED_ACCOUNT)) {
            throw new IllegalArgumentException("invalid account \"" + value
                    + "\": the server reserves it for its own subjects (colony.audit.>); choose another");
        }
        return value;
    }

    /** Parses a permission such as {@code task.claim.render.>}; it must start with an action or a wildcard. */
    static SubjectPattern.Wildcard permission(String what, String value) {
        SubjectPattern.Wildcard pattern = pattern(what, value);
        String first = pattern.tokens().getFirst();
        if (!FIRST_TOKENS.contains(first)) {
            throw new IllegalArgumentException("invalid " + what + " \"" + value + "\": it starts with \"" + first
                    + "\", which is no action; a permission starts with one of " + String.join(", ", FIRST_TOKENS)
                    + " (for example pub.>, task.claim.render.*, memory.read.notes.>)");
        }
        return pattern;
    }

    /** Parses a Colony wildcard pattern ({@code *} one token, {@code >} the rest). */
    static SubjectPattern.Wildcard pattern(String what, String value) {
        if (value == null) {
            throw new NullPointerException(what + " must not be null");
        }
        try {
            return SubjectPattern.of(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
