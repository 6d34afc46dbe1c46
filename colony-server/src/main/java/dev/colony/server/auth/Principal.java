package dev.colony.server.auth;

import java.util.Objects;

/**
 * An authenticated caller: the account whose namespace it works in, its own name (the token's name), and
 * whether it holds the admin role. The server prefixes every subject, task type, memory namespace, leader
 * group and agent id with the account, so accounts never see each other's state.
 */
public record Principal(String account, String name, boolean admin) {
    public Principal {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(name, "name");
    }
}
