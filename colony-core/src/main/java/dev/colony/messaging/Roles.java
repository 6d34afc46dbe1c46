package dev.colony.messaging;

import java.util.Objects;
import java.util.Set;

/** Validation of role names: the same alphabet as agent ids, so a role can be a subject token or key part. */
final class Roles {
    private Roles() {}

    static String check(String role) {
        Objects.requireNonNull(role, "role");
        try {
            AgentId.of(role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid role \"" + role + "\": 1 to " + AgentId.MAX_LENGTH + " characters from [A-Za-z0-9_-]");
        }
        return role;
    }

    static Set<String> copy(Set<String> roles) {
        Objects.requireNonNull(roles, "roles");
        roles.forEach(Roles::check);
        return Set.copyOf(roles);
    }
}
