package dev.colony.snapshot;

/**
 * Bytes that are not a valid snapshot: unknown format, unsupported version, truncated, checksum mismatch,
 * or content that does not decode. Nothing is restored from them.
 */
public final class CorruptSnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptSnapshotException(String message) {
        super(message);
    }
}
