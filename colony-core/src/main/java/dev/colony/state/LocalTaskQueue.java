package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The embedded task queue. Every method runs under the state lock (see {@link LocalState}). */
final class LocalTaskQueue implements TaskQueue {
    private final LocalState state;

    LocalTaskQueue(LocalState state) {
        this.state = state;
    }

    /** Expires lapsed leases and announces them. Under the lock. */
    int expire(Changes changes, Instant now) {
        return 0; // TODO(helper): lapsed leases
    }

    /** Releases every lease {@code agent} holds (it failed or deregistered). Under the lock. */
    void releaseLeasesOf(AgentId agent, String reason, Changes changes, Instant now) {
        // TODO(helper)
    }

    /** How many leases {@code agent} holds. Under the lock. */
    int leaseCount(AgentId agent) {
        return 0; // TODO(helper)
    }

    @Override
    public String submit(TaskSpec task) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<String> submit(TaskSpec task, Fence fence) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public LeaseOutcome renew(Lease lease, Duration extension) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public LeaseOutcome complete(Lease lease, byte[] result) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public LeaseOutcome complete(Lease lease, byte[] result, Fence fence) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public LeaseOutcome fail(Lease lease, String reason, boolean retryable) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean cancel(String taskId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<Lease> assign(AssignmentStrategy strategy, Duration lease, Fence fence) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<Task> get(String taskId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<Task> byStatus(TaskStatus status) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<Lease> leasesOf(AgentId agent) {
        throw new UnsupportedOperationException("not yet");
    }
}
