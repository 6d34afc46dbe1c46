package dev.colony.state;

import java.nio.file.Path;

/**
 * A coordination state that survives a crash: every change is journaled before its operation returns,
 * and {@link CoordinationState#open} rebuilds the state from the newest snapshot and the journal after it.
 *
 * <h2>Assumptions and guarantees</h2>
 *
 * <ul>
 *   <li>An operation that returned (or announced) is in the journal: in the operating system under every
 *       {@link dev.colony.state.FsyncPolicy}, on the device under {@code EVERY_OPERATION} and
 *       {@code BATCHED}. An operation that threw may or may not be.
 *   <li>Recovery gives exactly the state after the last journaled operation (same snapshot bytes, given
 *       the same clock reading), announces nothing, and continues the revisions.
 *   <li>The revision never goes back: {@link #restore} refuses a snapshot older than the state.
 *   <li>One process at a time may open a directory.
 * </ul>
 */
public interface DurableState extends CoordinationState {

    /**
     * Saves a snapshot of the state in the directory (a {@link dev.colony.state.SnapshotStore} file) and
     * deletes the journal segments it covers, so recovery replays only what came after; returns the file.
     * Writers wait only while the cut is taken and a new journal segment is started.
     */
    Path checkpoint();

    /** Where the journal and snapshots are. */
    Durability durability();
}
