package dev.colony.server.auth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a new token may do, before it is issued: its unique name, its account, whether it is an admin
 * token, its allow and deny permissions (Colony wildcard patterns over {@code <action prefix>.<resource>},
 * see {@link Action#prefix()}), the agent-id pattern it is bound to, and how long it lives.
 *
 * <p>An admin token may do everything, so it takes no permissions and no agent pattern: combining them is
 * refused rather than silently ignored. Every value is validated here, with a message that names the
 * parameter and quotes the bad value.
 *
 * @param name the token's name, unique among the active tokens: 1-64 letters, digits, {@code _} or {@code -}
 * @param account the account (namespace) it works in: 1-32 letters or digits
 * @param admin whether it may do everything
 * @param allow the permissions it has; nothing else is allowed (default deny)
 * @param deny the permissions it never has, whatever {@code allow} says (deny wins)
 * @param agent the agent ids it may act as (register, heartbeat, read the inbox of), as a glob where
 *     {@code *} matches any run of id characters ({@code worker-*}); empty for none bound. A bound token may
 *     act as exactly the matching agents (unless a deny permission {@code agent.<id>} says otherwise)
 * @param lifetime how long after its creation it expires; empty for never
 */
public record TokenSpec(
        String name,
        String account,
        boolean admin,
        List<String> allow,
        List<String> deny,
        Optional<String> agent,
        Optional<Duration> lifetime) {

    /** Validates every field; see the class comment. */
    public TokenSpec {
        Names.name("token name", name);
        Names.account(account);
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(lifetime, "lifetime");
        allow.forEach(p -> Names.permission("--allow permission", p));
        deny.forEach(p -> Names.permission("--deny permission", p));
        agent.ifPresent(AgentGlob::new);
        if (admin && (!allow.isEmpty() || !deny.isEmpty() || agent.isPresent())) {
            throw new IllegalArgumentException("admin token \"" + name
                    + "\" may do everything: it takes no --allow, --deny or --agent (got allow " + allow + ", deny "
                    + deny + ", agent " + agent.orElse("none") + ")");
        }
        lifetime.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("token lifetime must be more than zero, got " + d);
            }
        });
    }

    /** An admin token of this name and account that never expires. */
    public static TokenSpec admin(String name, String account) {
        return new TokenSpec(name, account, true, List.of(), List.of(), Optional.empty(), Optional.empty());
    }
}
