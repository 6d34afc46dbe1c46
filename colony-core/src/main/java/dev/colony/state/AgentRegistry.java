package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is in the swarm: agents register with a role and capabilities, send heartbeats, and move through
 * {@link AgentStatus their life}. An agent whose heartbeats stop for the configured timeout is marked
 * FAILED, announced, and its task leases are released for others.
 *
 * <p>Announcements: {@code colony.agent.<id>.registered|heartbeat|status|failed|deregistered}, each with a
 * {@link StateChange} whose value is the {@link AgentRecord} after the change. Operations are
 * linearizable. Thread-safe.
 */
public interface AgentRegistry {

    /**
     * Registers an agent in status STARTING.
     *
     * @throws IllegalStateException if {@code id} is registered already (deregister it first)
     * @throws IllegalArgumentException if the role or a capability is not a token
     */
    AgentRecord register(AgentId id, String role, Set<String> capabilities, Map<String, String> metadata);

    /**
     * Records a heartbeat of a live agent now.
     *
     * @return false if the agent is unknown, STOPPED or FAILED (a failed agent must register again)
     */
    boolean heartbeat(AgentId id);

    /**
     * Moves an agent to {@code status}.
     *
     * @throws IllegalStateException if the transition is not allowed; the message names both statuses and
     *     the allowed ones
     * @throws java.util.NoSuchElementException if the agent is not registered
     */
    AgentRecord transition(AgentId id, AgentStatus status);

    /** Removes an agent, releasing its leases; false if it was not registered. */
    boolean deregister(AgentId id);

    /** The agent's record now; empty if it is not registered. */
    Optional<AgentRecord> get(AgentId id);

    /** Every registered agent, in registration order. */
    List<AgentRecord> all();

    /** The registered agents with {@code role}, in registration order. */
    List<AgentRecord> byRole(String role);

    /** The registered agents in {@code status}, in registration order. */
    List<AgentRecord> byStatus(AgentStatus status);

    /** The agents that have every one of {@code capabilities}. */
    List<AgentRecord> withCapabilities(Set<String> capabilities);
}
