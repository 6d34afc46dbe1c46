package dev.colony.server.auth;

import dev.colony.bus.EventBus;
import java.nio.file.Path;

/**
 * The server's security checks, in the order the HTTP layer applies them to every request:
 * {@link #authenticate}, {@link #admit}, {@link #authorize}, and {@link #audit} after a change succeeded.
 * Implementations are thread-safe.
 */
public interface Guard {

    /**
     * The principal a request's {@code Authorization} header names.
     *
     * @param authorization the header's value, or null when the request has none
     * @throws AccessDenied 401 when the header is missing, malformed, or names an unknown, expired or revoked
     *     token
     */
    Principal authenticate(String authorization) throws AccessDenied;

    /**
     * Admits one request of this principal under its rate limit.
     *
     * @throws AccessDenied 429 with {@code Retry-After} when the principal is over its limit
     */
    void admit(Principal principal) throws AccessDenied;

    /**
     * Checks that the principal may do this action on this resource (the resource without the account
     * prefix: a subject, task type, {@code namespace.key}, group or agent id). Deny wins over allow.
     *
     * @throws AccessDenied 403 naming the action and resource
     */
    void authorize(Principal principal, Action action, String resource) throws AccessDenied;

    /**
     * Records a change the principal made: publishes an audit event on
     * {@code colony.audit.<account>.<principal>}.
     */
    void audit(Principal principal, String operation, String target);

    /**
     * The guard backed by the token file in {@code dataDir}, creating the file and an admin token on first
     * start, and publishing audit events on {@code auditBus}.
     */
    static Guard open(Path dataDir, EventBus auditBus) {
        throw new UnsupportedOperationException("the token store lands with the auth branch");
    }
}
