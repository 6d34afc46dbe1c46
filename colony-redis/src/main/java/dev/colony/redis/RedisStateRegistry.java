package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentRegistry;
import dev.colony.state.AgentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The agent registry in Redis: one hash per agent ({@code agent:<id>}), a sorted set in registration order
 * ({@code agents}) and one of live agents by last heartbeat ({@code beats}) for failure detection. Writes
 * are the {@code agent_*} scripts; failure detection is part of {@code state_sweep}.
 */
final class RedisStateRegistry implements AgentRegistry {
    private final RedisState state;

    RedisStateRegistry(RedisState state) {
        this.state = state;
    }

    @Override
    public AgentRecord register(AgentId id, String role, Set<String> capabilities, Map<String, String> metadata) {
        Objects.requireNonNull(id, "id");
        // validates role, capabilities and metadata with the record's own rules before anything is sent
        AgentRecord valid = new AgentRecord(
                id,
                role,
                capabilities,
                metadata,
                AgentStatus.STARTING,
                java.time.Instant.EPOCH,
                java.time.Instant.EPOCH);
        Object result = state.run(
                "agent_register",
                id.value(),
                valid.role(),
                RedisStateCodec.join(valid.capabilities()),
                RedisStateCodec.metadata(valid.metadata()),
                RedisState.millis(state.options.heartbeatTimeout()));
        return RedisStateCodec.agent(result);
    }

    @Override
    public boolean heartbeat(AgentId id) {
        Objects.requireNonNull(id, "id");
        return !RedisState.none(
                state.run("agent_heartbeat", id.value(), RedisState.millis(state.options.heartbeatTimeout())));
    }

    @Override
    public AgentRecord transition(AgentId id, AgentStatus status) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        return RedisStateCodec.agent(state.run("agent_transition", id.value(), status.name()));
    }

    @Override
    public boolean deregister(AgentId id) {
        Objects.requireNonNull(id, "id");
        return !RedisState.none(state.run("agent_deregister", id.value()));
    }

    @Override
    public Optional<AgentRecord> get(AgentId id) {
        Objects.requireNonNull(id, "id");
        Map<String, byte[]> hash = state.hash("agent:" + id.value());
        return hash.isEmpty() ? Optional.empty() : Optional.of(RedisStateCodec.agent(hash));
    }

    /** Every agent in registration order, read in one script (a consistent cut), filtered here. */
    @Override
    public List<AgentRecord> select(Predicate<AgentRecord> filter) {
        Objects.requireNonNull(filter, "filter");
        List<AgentRecord> selected = new ArrayList<>();
        for (Object hash : RedisState.list(state.run("agent_list"))) {
            AgentRecord record = RedisStateCodec.agent(hash);
            if (filter.test(record)) {
                selected.add(record);
            }
        }
        return List.copyOf(selected);
    }
}
