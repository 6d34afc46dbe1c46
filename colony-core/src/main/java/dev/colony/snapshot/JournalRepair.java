package dev.colony.snapshot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Journal#repair} did: the segment it cut, where, and everything it set aside.
 *
 * @param segment the damaged segment, cut at {@code offset}
 * @param offset where the first bad record started; the segment keeps the bytes before it
 * @param sideFile the file holding the cut bytes ({@code <segment>.torn-<offset>})
 * @param setAsideSegments later segments renamed aside ({@code <segment>.set-aside}): replay cannot skip
 *     the hole, so they cannot be replayed either
 * @param recordsLost valid records in the cut part and in the segments set aside
 * @param firstRevisionLost the revision of the first of them, or -1 if none
 * @param lastRevisionLost the revision of the last of them, or -1 if none
 */
public record JournalRepair(
        Path segment,
        long offset,
        Path sideFile,
        List<Path> setAsideSegments,
        int recordsLost,
        long firstRevisionLost,
        long lastRevisionLost) {
    public JournalRepair {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(sideFile, "sideFile");
        setAsideSegments = List.copyOf(setAsideSegments);
    }
}
