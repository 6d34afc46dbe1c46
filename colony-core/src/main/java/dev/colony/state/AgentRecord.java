package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A registered agent, as the registry holds it at one revision.
 *
 * @param id the agent
 * @param role its role, a token
 * @param capabilities what it can do, tokens (task requirements are matched against them)
 * @param metadata free-form string pairs
 * @param status where it is in its life
 * @param registeredAt when it registered
 * @param lastHeartbeat its last heartbeat (registration counts as one)
 */
public record AgentRecord(
        AgentId id,
        String role,
        Set<String> capabilities,
        Map<String, String> metadata,
        AgentStatus status,
        Instant registeredAt,
        Instant lastHeartbeat) {

    public AgentRecord {
        Objects.requireNonNull(id, "id");
        Names.token(role, "role");
        capabilities = Set.copyOf(capabilities);
        capabilities.forEach(c -> Names.token(c, "capability"));
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    }

    AgentRecord withStatus(AgentStatus newStatus) {
        return new AgentRecord(id, role, capabilities, metadata, newStatus, registeredAt, lastHeartbeat);
    }

    AgentRecord withHeartbeat(Instant at) {
        return new AgentRecord(id, role, capabilities, metadata, status, registeredAt, at);
    }
}
