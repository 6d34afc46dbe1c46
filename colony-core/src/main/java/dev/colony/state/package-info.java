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
 */
package dev.colony.state;
