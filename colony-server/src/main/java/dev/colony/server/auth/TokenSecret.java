package dev.colony.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The form of a bearer token, {@code colony_<id>_<secret>}: a 16-hex-digit public id (8 random bytes, the
 * key the token file is looked up by) and a 43-character base62 secret (43 uniform draws from
 * {@link SecureRandom} over {@code [A-Za-z0-9]}, 256 bits). Base62 rather than base64url so that a
 * double-click selects the whole token in a terminal. Only the SHA-256 of the whole token is stored. The
 * fixed {@code colony_} prefix lets secret scanners recognise a leaked token.
 */
final class TokenSecret {
    static final String PREFIX = "colony_";

    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern TOKEN = Pattern.compile("colony_([0-9a-f]{16})_[A-Za-z0-9]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private TokenSecret() {}

    /** A new random public id. */
    static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** A new bearer token with this id and 43 base62 characters (log2(62) x 43 = 256.0 bits). */
    static String newToken(String id) {
        StringBuilder token =
                new StringBuilder(67).append(PREFIX).append(checkId(id)).append('_');
        for (int i = 0; i < 43; i++) {
            token.append(BASE62.charAt(RANDOM.nextInt(BASE62.length()))); // nextInt(bound) is unbiased
        }
        return token.toString();
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
