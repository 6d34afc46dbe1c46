package dev.colony.server.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The payload of an audit event, published on {@code colony.audit.<account>.<principal>} after a change
 * succeeded: who made it, what operation, on what target, and when.
 *
 * @param account the principal's account
 * @param principal the principal's name (its token's name)
 * @param operation what was done, for example {@code task.submit} or {@code token.revoke}
 * @param target what it was done to, for example a task id or a memory key
 * @param at when the guard recorded it
 */
public record AuditEvent(String account, String principal, String operation, String target, Instant at) {
    public AuditEvent {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(at, "at");
    }

    /** The subject prefix of every audit event. */
    public static final String SUBJECT_PREFIX = "colony.audit";

    /** The subject an event of this principal is published on. */
    public static String subject(String account, String principal) {
        return SUBJECT_PREFIX + "." + account + "." + principal;
    }
}
