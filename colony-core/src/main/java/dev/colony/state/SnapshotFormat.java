package dev.colony.state;

/** How a snapshot is written. Both restore; the checksum covers the content in both. */
public enum SnapshotFormat {
    /** Compact and fast, versioned, CRC32C-checksummed, optionally LZ4-compressed: the default. */
    BINARY,
    /** For people and tools: the same content as JSON, with the CRC32C of its binary form. */
    JSON
}
