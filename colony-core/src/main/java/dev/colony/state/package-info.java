/**
 * Coordination state: the agent registry, the task queue, leader election and shared memory, all
 * linearizable and announced on the bus under {@code colony.>}.
 *
 * <p>{@link dev.colony.state.CoordinationState} groups the four: {@link dev.colony.state.AgentRegistry}
 * (registration, heartbeats, failure detection), {@link dev.colony.state.TaskQueue} (work under
 * {@link dev.colony.state.Lease}s), {@link dev.colony.state.LeaderElection} (leases with fencing terms;
 * {@link dev.colony.state.Fence}) and {@link dev.colony.state.SharedMemory} (versioned entries with CAS and
 * TTL). {@link dev.colony.state.DurableState} adds a journal; {@link dev.colony.state.StateChange} is the
 * payload of every announcement. Decisions: ADR 0008.
 *
 * <p>Snapshots and durability: a {@link dev.colony.state.Snapshot} is the whole coordination state at one
 * revision; {@link dev.colony.state.SnapshotCodec} encodes it in a {@link dev.colony.state.SnapshotFormat}
 * (checksummed, optionally compressed) and decodes it, failing with
 * {@link dev.colony.state.CorruptSnapshotException}; {@link dev.colony.state.SnapshotStore} keeps files
 * atomically with retention and {@link dev.colony.state.SnapshotSchedule} takes them periodically.
 * {@link dev.colony.state.Durability} and {@link dev.colony.state.FsyncPolicy} configure the
 * {@link dev.colony.state.Journal} behind a durable state. Decisions: ADRs 0009, 0010 and 0020; why
 * snapshots live in this package: ADR 0025.
 */
package dev.colony.state;
