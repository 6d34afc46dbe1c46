package dev.colony.server.auth;

import java.util.Objects;

/**
 * A token just created: its secret value, shown to the operator once and never stored, and what was
 * stored. {@link #toString()} masks the secret.
 *
 * @param secret the bearer token, {@code colony_<id>_<secret>}
 * @param info what the token file now holds about it
 */
public record IssuedToken(String secret, TokenInfo info) {
    public IssuedToken {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(info, "info");
    }

    @Override
    public String toString() {
        return "IssuedToken[secret=colony_" + info.id() + "_****, info=" + info + "]";
    }
}
