package dev.colony.server.dashboard;

import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Action;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A guard for the dashboard's tests: token {@code admin-token} is the admin of account acme, {@code viewer-token}
 * a plain member of acme; admin actions need the admin. The audit trail is kept in memory.
 */
final class DashGuard implements Guard {
    static final Map<String, Principal> TOKENS = Map.of(
            "admin-token", new Principal("acme", "admin", true),
            "viewer-token", new Principal("acme", "viewer", false));

    final List<String> audits = new CopyOnWriteArrayList<>();

    @Override
    public Principal authenticate(String authorization) throws AccessDenied {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new AccessDenied(401, "UNAUTHORIZED", "missing bearer token", Optional.empty());
        }
        Principal principal = TOKENS.get(authorization.substring(7));
        if (principal == null) {
            throw new AccessDenied(401, "UNAUTHORIZED", "unknown token", Optional.empty());
        }
        return principal;
    }

    @Override
    public void admit(Principal principal) {}

    @Override
    public void authorize(Principal principal, Action action, String resource) throws AccessDenied {
        if (action == Action.ADMIN && !principal.admin()) {
            throw new AccessDenied(
                    403, "FORBIDDEN", principal.name() + " is not an admin (admin." + resource + ")", Optional.empty());
        }
    }

    @Override
    public void audit(Principal principal, String operation, String target) {
        audits.add(principal.account() + "." + principal.name() + " " + operation + " " + target);
    }
}
