package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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

    /**
     * The registered agents that {@code filter} accepts, in registration order, from one consistent cut of
     * the registry (a state that existed at one instant). {@code filter} runs on the caller's thread and
     * must not call back into the state.
     */
    List<AgentRecord> select(Predicate<AgentRecord> filter);

    /** Every registered agent, in registration order. */
    default List<AgentRecord> all() {
        return select(record -> true);
    }

    /**
     * The agents of {@code role}, in registration order.
     *
     * @throws IllegalArgumentException if {@code role} is not a valid token (see {@link Names#token})
     */
    default List<AgentRecord> byRole(String role) {
        Names.token(role, "role");
        return select(record -> record.role().equals(role));
    }

    /** The agents whose status is {@code status}, in registration order. */
    default List<AgentRecord> byStatus(AgentStatus status) {
        Objects.requireNonNull(status, "status");
        return select(record -> record.status() == status);
    }

    /** The agents that have every one of {@code capabilities}. */
    default List<AgentRecord> withCapabilities(Set<String> capabilities) {
        Set<String> wanted = Set.copyOf(capabilities);
        return select(record -> record.capabilities().containsAll(wanted));
    }
}
