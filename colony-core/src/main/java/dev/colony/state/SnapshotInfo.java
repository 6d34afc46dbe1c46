package dev.colony.state;

import java.time.Instant;

/**
 * What a snapshot file holds, from {@link SnapshotCodec#inspect}.
 *
 * @param format the format, or null when the bytes are neither
 * @param version the format version, or 0 when unknown
 * @param fileBytes the file's size
 * @param bodyBytes the binary body's size, uncompressed (0 when unknown)
 * @param compressed whether the body is LZ4-compressed
 * @param checksumOk whether the checksum matched and the content decoded
 * @param problem why the file is not a good snapshot, or null
 * @param revision the state's revision (0 when unknown)
 * @param takenAt when it was taken, or null
 * @param agents agents in it
 * @param tasks tasks in it
 * @param leaderGroups election groups in it
 * @param memoryEntries shared-memory entries in it
 */
public record SnapshotInfo(
        SnapshotFormat format,
        int version,
        long fileBytes,
        long bodyBytes,
        boolean compressed,
        boolean checksumOk,
        String problem,
        long revision,
        Instant takenAt,
        int agents,
        int tasks,
        int leaderGroups,
        int memoryEntries) {

    static SnapshotInfo good(
            SnapshotFormat format, int version, long fileBytes, long bodyBytes, boolean compressed, Snapshot s) {
        return new SnapshotInfo(
                format,
                version,
                fileBytes,
                bodyBytes,
                compressed,
                true,
                null,
                s.revision(),
                s.takenAt(),
                s.agents().size(),
                s.tasks().size(),
                s.leaders().size(),
                s.memory().size());
    }

    static SnapshotInfo bad(SnapshotFormat format, long fileBytes, String problem) {
        return new SnapshotInfo(format, 0, fileBytes, 0, false, false, problem, 0, null, 0, 0, 0, 0);
    }
}
