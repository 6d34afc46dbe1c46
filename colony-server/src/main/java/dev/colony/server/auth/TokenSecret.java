package dev.colony.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The form of a bearer token, {@code colony_<id>_<secret>}: a 16-hex-digit public id (8 random bytes, the
 * key the token file is looked up by) and a 43-character base64url secret (32 bytes from
 * {@link SecureRandom}, 256 bits). Only the SHA-256 of the whole token is stored. The fixed
 * {@code colony_} prefix lets secret scanners recognise a leaked token.
 */
final class TokenSecret {
    static final String PREFIX = "colony_";

    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern TOKEN = Pattern.compile("colony_([0-9a-f]{16})_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private TokenSecret() {}

    /** A new random public id. */
    static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** A new bearer token with this id and 256 random bits. */
    static String newToken(String id) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + checkId(id) + "_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The id of a well-formed token, or empty; never says what is wrong with it, so it quotes nothing. */
    static Optional<String> idOf(String token) {
        if (token.length() != 67) {
            return Optional.empty();
        }
        var m = TOKEN.matcher(token);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid token id \"" + id + "\": expected 16 lowercase hex digits");
        }
        return id;
    }

    /** The SHA-256 of the token's UTF-8 bytes. */
    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] unhex(String text) {
        return HEX.parseHex(text);
    }
}
