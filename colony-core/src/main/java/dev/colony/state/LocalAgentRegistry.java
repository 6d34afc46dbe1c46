package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The embedded agent registry: a map in registration order, under the state lock. Failure detection
 * compares each live agent's last heartbeat with the clock, at every sweep.
 */
final class LocalAgentRegistry implements AgentRegistry {
    private final LocalState state;
    private final Map<AgentId, AgentRecord> agents = new LinkedHashMap<>(); // guarded by state.lock

    LocalAgentRegistry(LocalState state) {
        this.state = state;
    }

    private static String prefix(AgentId id) {
        return "colony.agent." + id.value();
    }

    @Override
    public AgentRecord register(AgentId id, String role, Set<String> capabilities, Map<String, String> metadata) {
        Objects.requireNonNull(id, "id");
        Instant now = state.now();
        AgentRecord record = new AgentRecord(id, role, capabilities, metadata, AgentStatus.STARTING, now, now);
        return state.write(changes -> {
            AgentRecord existing = agents.get(id);
            if (existing != null) {
                throw new IllegalStateException(
                        "agent \"" + id + "\" is registered already (status " + existing.status() + ")");
            }
            agents.put(id, record);
            changes.record(prefix(id), "registered", record);
            return record;
        });
    }

    @Override
    public boolean heartbeat(AgentId id) {
        Objects.requireNonNull(id, "id");
        return state.write(changes -> {
            AgentRecord record = agents.get(id);
            if (record == null || !record.status().isLive()) {
                return false;
            }
            AgentRecord beat = record.withHeartbeat(state.now());
            agents.put(id, beat);
            changes.record(prefix(id), "heartbeat", beat);
            return true;
        });
    }

    @Override
    public AgentRecord transition(AgentId id, AgentStatus status) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        return state.write(changes -> {
            AgentRecord record = agents.get(id);
            if (record == null) {
                throw new NoSuchElementException("agent \"" + id + "\" is not registered");
            }
            if (!record.status().canMoveTo(status)) {
                throw new IllegalStateException("agent \"" + id + "\" cannot move from " + record.status() + " to "
                        + status + "; allowed: " + record.status().next());
            }
            AgentRecord moved = record.withStatus(status);
            agents.put(id, moved);
            changes.record(prefix(id), status == AgentStatus.FAILED ? "failed" : "status", moved);
            if (!status.isLive()) {
                state.tasks.releaseLeasesOf(id, "agent " + id + " is " + status, changes, state.now());
            }
            return moved;
        });
    }

    @Override
    public boolean deregister(AgentId id) {
        Objects.requireNonNull(id, "id");
        return state.write(changes -> {
            AgentRecord record = agents.remove(id);
            if (record == null) {
                return false;
            }
            changes.record(prefix(id), "deregistered", record);
            state.tasks.releaseLeasesOf(id, "agent " + id + " deregistered", changes, state.now());
            return true;
        });
    }

    /** Marks FAILED every live agent whose last heartbeat is older than the timeout. Under the lock. */
    int expire(Changes changes, Instant now) {
        Instant oldest = now.minus(state.options.heartbeatTimeout());
        List<AgentRecord> late = new ArrayList<>();
        for (AgentRecord record : agents.values()) {
            if (record.status().isLive() && record.lastHeartbeat().isBefore(oldest)) {
                late.add(record);
            }
        }
        for (AgentRecord record : late) {
            AgentRecord failed = record.withStatus(AgentStatus.FAILED);
            agents.put(record.id(), failed);
            changes.record(prefix(record.id()), "failed", failed);
            state.tasks.releaseLeasesOf(
                    record.id(),
                    "agent " + record.id() + " missed its heartbeats (last " + record.lastHeartbeat() + ")",
                    changes,
                    now);
        }
        return late.size();
    }

    /** Every agent in registration order, for a snapshot. Under the lock. */
    List<AgentRecord> exportLocked() {
        return new ArrayList<>(agents.values());
    }

    /** Replaces every agent with {@code records}, in their order. Under the lock. */
    void importLocked(List<AgentRecord> records) {
        agents.clear();
        for (AgentRecord record : records) {
            if (agents.putIfAbsent(record.id(), record) != null) {
                throw new IllegalArgumentException("agent \"" + record.id() + "\" appears twice");
            }
        }
    }

    /** Replays a journaled change: the agent's image after it, or its removal. Under the lock. */
    void applyLocked(String change, AgentRecord record) {
        if (change.equals("deregistered")) {
            agents.remove(record.id());
        } else {
            agents.put(record.id(), record);
        }
    }

    /** The live agents (IDLE or BUSY) in registration order. Under the lock. */
    List<AgentRecord> workingLocked() {
        List<AgentRecord> working = new ArrayList<>();
        for (AgentRecord record : agents.values()) {
            if (record.status() == AgentStatus.IDLE || record.status() == AgentStatus.BUSY) {
                working.add(record);
            }
        }
        return working;
    }

    /** Whether {@code id} is IDLE or BUSY with every capability {@code task} requires. Under the lock. */
    boolean isWorkingWith(AgentId id, TaskSpec task) {
        AgentRecord record = agents.get(id);
        return record != null
                && (record.status() == AgentStatus.IDLE || record.status() == AgentStatus.BUSY)
                && record.capabilities().containsAll(task.requiredCapabilities());
    }

    @Override
    public Optional<AgentRecord> get(AgentId id) {
        Objects.requireNonNull(id, "id");
        return state.read(() -> Optional.ofNullable(agents.get(id)));
    }

    @Override
    public List<AgentRecord> select(Predicate<AgentRecord> filter) {
        Objects.requireNonNull(filter, "filter");
        return state.read(() -> {
            List<AgentRecord> selected = new ArrayList<>();
            for (AgentRecord record : agents.values()) {
                if (filter.test(record)) {
                    selected.add(record);
                }
            }
            return List.copyOf(selected);
        });
    }
}
