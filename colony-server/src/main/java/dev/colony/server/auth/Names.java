package dev.colony.server.auth;

import dev.colony.bus.SubjectPattern;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules for the names a token carries: account and token names become subject tokens of
 * {@code colony.audit.<account>.<name>}, and permissions are Colony wildcard patterns.
 */
final class Names {
    static final int MAX_NAME_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_NAME_LENGTH + "}");

    static final int MAX_ACCOUNT_LENGTH = 32;

    /** No {@code _} or {@code -}: the server stores {@code <account>_<name>}, and the first {@code _} must end the account. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9]{1," + MAX_ACCOUNT_LENGTH + "}");

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

    /** {@code value} when it is a valid account name. */
    static String account(String value) {
        if (value == null) {
            throw new NullPointerException("account must not be null");
        }
        if (!ACCOUNT.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid account \"" + value + "\": use 1-" + MAX_ACCOUNT_LENGTH
                    + " letters or digits (the server prefixes the account's names with <account>_)");
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
