package dev.colony.server;

import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.messaging.AgentId;
import dev.colony.state.Names;
import java.util.regex.Pattern;

/**
 * An account's namespace: how the names a client uses map to the names Colony stores, so that two
 * accounts never see each other's state (ADR 0030).
 *
 * <p>A token (task id and type, capability, role, memory namespace, leader group, agent id) becomes
 * {@code <account>_<token>}; a subject becomes {@code acct.<account>.<subject>}. Account names are 1 to
 * 32 characters from {@code [A-Za-z0-9]}: with no {@code _} in the account, the first {@code _} of a stored
 * name ends it, so no two (account, name) pairs map to the same stored name.
 */
record Namespace(String account) {
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9]{1,32}");
    /** The prefix of every subject an account publishes on. */
    static final String SUBJECT_ROOT = "acct";

    Namespace {
        if (!ACCOUNT.matcher(account).matches()) {
            throw new Problem(
                    403, "BAD_ACCOUNT", "account \"" + account + "\" cannot be served: names are [A-Za-z0-9]{1,32}");
        }
    }

    /** The stored name of a client's token; {@code what} names it in the 400 for a bad one. */
    String token(String name, String what) {
        if (name == null) {
            throw Problem.badRequest(what + " is missing");
        }
        try {
            Names.token(name, what);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        String stored = account + "_" + name;
        if (stored.length() > Names.MAX_TOKEN) {
            throw Problem.badRequest(what + " \"" + name + "\" is too long: at most "
                    + (Names.MAX_TOKEN - account.length() - 1) + " characters in account " + account);
        }
        return stored;
    }

    /** The stored agent id of a client's agent id. */
    AgentId agent(String id) {
        if (id == null) {
            throw Problem.badRequest("agent id is missing");
        }
        try {
            AgentId.of(id);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        String stored = account + "_" + id;
        if (stored.length() > AgentId.MAX_LENGTH) {
            throw Problem.badRequest("agent id \"" + id + "\" is too long: at most "
                    + (AgentId.MAX_LENGTH - account.length() - 1) + " characters in account " + account);
        }
        return AgentId.of(stored);
    }

    /** The client's name of a stored token or agent id of this account. */
    String local(String stored) {
        return stored.startsWith(account + "_") ? stored.substring(account.length() + 1) : stored;
    }

    /** The client's agent id of a stored one, or null. */
    String local(AgentId stored) {
        return stored == null ? null : local(stored.value());
    }

    /** The stored subject of a client's subject. */
    Subject subject(String subject) {
        try {
            Subject.of(subject);
            return Subject.of(SUBJECT_ROOT + "." + account + "." + subject);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    /** The stored pattern of a client's wildcard subject pattern. */
    SubjectPattern pattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw Problem.badRequest("query parameter pattern is missing (such as pattern=orders.>)");
        }
        try {
            SubjectPattern.of(pattern);
            return SubjectPattern.of(SUBJECT_ROOT + "." + account + "." + pattern);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    /** The client's subject of a stored one of this account. */
    String localSubject(String stored) {
        return stored.substring(SUBJECT_ROOT.length() + account.length() + 2);
    }
}
