package dev.colony.server.auth;

import java.util.Objects;

/** A line of the token file: what the token is, and the SHA-256 of its value (never the value itself). */
record StoredToken(TokenInfo info, byte[] sha256) {
    StoredToken {
        Objects.requireNonNull(info, "info");
        if (sha256.length != 32) {
            throw new IllegalArgumentException("sha256 must be 32 bytes, got " + sha256.length);
        }
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }
}
