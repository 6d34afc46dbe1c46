package dev.colony.server;

import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Action;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A guard for tests: fixed tokens, an optional agent-id prefix binding per token, a denied action list,
 * and the audit trail kept in memory. {@code admin} (account acme) may do everything; {@code bob} (acme) may
 * act only as agents whose id starts with {@code bob}; {@code other} is in account globex; {@code noclaim}
 * (acme) may not claim tasks of type {@code secret}; {@code limited} (acme) is always over its rate limit.
 */
final class TestGuard implements Guard {
    record Token(Principal principal, String agentPrefix) {}

    static final Map<String, Token> TOKENS = Map.of(
            "admin", new Token(new Principal("acme", "admin", true), ""),
            "bob", new Token(new Principal("acme", "bob", false), "bob"),
            "other", new Token(new Principal("globex", "other", false), ""),
            "noclaim", new Token(new Principal("acme", "noclaim", false), ""),
            "limited", new Token(new Principal("acme", "limited", false), ""));

    final List<String> audits = new CopyOnWriteArrayList<>();

    @Override
    public Principal authenticate(String authorization) throws AccessDenied {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new AccessDenied(401, "UNAUTHORIZED", "missing bearer token", Optional.empty());
        }
        Token token = TOKENS.get(authorization.substring(7));
        if (token == null) {
            throw new AccessDenied(401, "UNAUTHORIZED", "unknown token", Optional.empty());
        }
        return token.principal();
    }

    @Override
    public void admit(Principal principal) throws AccessDenied {
        if (principal.name().equals("limited")) {
            throw new AccessDenied(
                    429,
                    "RATE_LIMITED",
                    "limited is over 10 requests/s",
                    Optional.of(java.time.Duration.ofMillis(2500)));
        }
    }

    @Override
    public void authorize(Principal principal, Action action, String resource) throws AccessDenied {
        Token token = TOKENS.get(principal.name());
        if (action == Action.AGENT && !resource.startsWith(token.agentPrefix())) {
            throw new AccessDenied(
                    403, "FORBIDDEN", principal.name() + " may not act as agent " + resource, Optional.empty());
        }
        if (action == Action.ADMIN && !principal.admin()) {
            throw new AccessDenied(403, "FORBIDDEN", principal.name() + " is not an admin", Optional.empty());
        }
        if (principal.name().equals("noclaim") && action == Action.TASK_CLAIM && resource.equals("secret")) {
            throw new AccessDenied(403, "FORBIDDEN", "task.claim.secret denied", Optional.empty());
        }
    }

    @Override
    public void audit(Principal principal, String operation, String target) {
        audits.add(principal.account() + "." + principal.name() + " " + operation + " " + target);
    }
}
