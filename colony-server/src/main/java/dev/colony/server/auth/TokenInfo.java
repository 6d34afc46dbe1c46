package dev.colony.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored token as {@code colony token list} shows it: everything but its secret (which is never stored)
 * and its hash.
 *
 * @param id the token's public identifier, the part between {@code colony_} and the secret
 * @param name its name, unique among the active tokens
 * @param account the account it works in
 * @param admin whether it may do everything
 * @param allow its allow permissions
 * @param deny its deny permissions
 * @param agent the agent-id pattern it is bound to, if any
 * @param created when it was issued
 * @param expires when it expires, if ever
 * @param revoked whether it was revoked
 */
public record TokenInfo(
        String id,
        String name,
        String account,
        boolean admin,
        List<String> allow,
        List<String> deny,
        Optional<String> agent,
        Instant created,
        Optional<Instant> expires,
        boolean revoked) {

    /** Validates the names and patterns as {@link TokenSpec} does. */
    public TokenInfo {
        TokenSecret.checkId(id);
        new TokenSpec(name, account, admin, allow, deny, agent, Optional.empty());
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
    }

    /** Whether it has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expires.isPresent() && !now.isBefore(expires.get());
    }

    /** ACTIVE, REVOKED or EXPIRED at {@code now}. */
    public String status(Instant now) {
        return revoked ? "REVOKED" : expiredAt(now) ? "EXPIRED" : "ACTIVE";
    }

    TokenInfo revoke() {
        return new TokenInfo(id, name, account, admin, allow, deny, agent, created, expires, true);
    }
}
