/**
 * Snapshots and durability: consistent cuts of the coordination state, their files, and the journal.
 *
 * <p>A {@link dev.colony.snapshot.Snapshot} is the whole coordination state at one revision;
 * {@link dev.colony.snapshot.SnapshotCodec} encodes it in a {@link dev.colony.snapshot.SnapshotFormat}
 * (checksummed, optionally compressed) and decodes it, failing with
 * {@link dev.colony.snapshot.CorruptSnapshotException}; {@link dev.colony.snapshot.SnapshotStore} keeps files
 * atomically with retention and {@link dev.colony.snapshot.SnapshotSchedule} takes them periodically.
 * {@link dev.colony.snapshot.Durability} and {@link dev.colony.snapshot.FsyncPolicy} configure the
 * {@link dev.colony.snapshot.Journal} behind a durable state. Decisions: ADRs 0009 and 0010.
 */
package dev.colony.snapshot;
