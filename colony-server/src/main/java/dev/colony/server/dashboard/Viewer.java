package dev.colony.server.dashboard;

import dev.colony.server.auth.Principal;

/**
 * The operator a dashboard request is for: the principal its session's token names. The dashboard shows only
 * the principal's account, whose stored names start with {@code <account>_} (ADR 0030).
 */
record Viewer(Principal principal, String token) {

    /** The prefix of this account's stored task ids, types and agent ids. */
    String prefix() {
        return principal.account() + "_";
    }

    boolean owns(String stored) {
        return stored.startsWith(prefix());
    }

    /** The account's own name of a stored one. */
    String local(String stored) {
        return owns(stored) ? stored.substring(prefix().length()) : stored;
    }

    /** The stored name of one of the account's names. */
    String stored(String local) {
        return prefix() + local;
    }
}
