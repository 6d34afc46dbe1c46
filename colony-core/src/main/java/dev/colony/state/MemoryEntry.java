package dev.colony.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One shared-memory entry at one version.
 *
 * @param namespace a token
 * @param key tokens joined by dots
 * @param value the bytes, copied
 * @param version 1 when created, one more with every write; a deleted and recreated key starts again
 *     above its last version, so a version is never reused for a key
 * @param expiresAt when the entry disappears, or null for never
 */
public record MemoryEntry(String namespace, String key, byte[] value, long version, Instant expiresAt) {
    public MemoryEntry {
        Names.token(namespace, "namespace");
        Names.key(key);
        value = Objects.requireNonNull(value, "value").clone();
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive, got " + version);
        }
    }

    /** The value, copied. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value's length in bytes, without copying it. */
    public int valueLength() {
        return value.length;
    }

    /** Copies the value into {@code target} at {@code offset}, without an intermediate copy. */
    public void copyValueTo(byte[] target, int offset) {
        System.arraycopy(value, 0, target, offset, value.length);
    }

    /** The value as UTF-8 text. */
    public String valueAsString() {
        return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
