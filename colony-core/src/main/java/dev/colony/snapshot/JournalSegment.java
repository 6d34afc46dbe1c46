package dev.colony.snapshot;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a read of one journal segment file found, without changing it ({@link Journal#inspect}).
 *
 * @param file the segment file
 * @param version its format version: 2 (a segment header and header checksums, ADR 0020) or 1 (before);
 *     0 if the segment header is damaged; another number is a version this build cannot read (reported as
 *     damage)
 * @param bytes the file's size
 * @param records the valid records before any damage or torn tail
 * @param firstRevision the revision of the first of them, or -1 if there is none
 * @param lastRevision the revision of the last of them, or -1 if there is none
 * @param damage where reading stopped before the end of the file, and why; empty if the segment is whole
 */
public record JournalSegment(
        Path file,
        int version,
        long bytes,
        int records,
        long firstRevision,
        long lastRevision,
        Optional<JournalDamage> damage) {
    public JournalSegment {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(damage, "damage");
    }

    /** Whether recovery reads this segment without error (whole, or with a torn tail it sets aside). */
    public boolean recoverable() {
        return damage.isEmpty() || damage.get().tornTail();
    }
}
