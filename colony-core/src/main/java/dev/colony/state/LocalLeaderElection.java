package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The embedded leader election. Every method runs under the state lock (see {@link LocalState}). */
final class LocalLeaderElection implements LeaderElection {
    private final LocalState state;

    LocalLeaderElection(LocalState state) {
        this.state = state;
    }

    /** Announces leaderships whose lease lapsed. Under the lock. */
    int expire(Changes changes, Instant now) {
        return 0; // TODO(helper)
    }

    /** Whether {@code fence} carries its group's latest term. Under the lock. */
    boolean isCurrentLocked(Fence fence) {
        return true; // TODO(helper)
    }

    @Override
    public Optional<Leadership> campaign(String group, AgentId candidate, Duration lease) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean renew(Leadership leadership, Duration lease) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean resign(Leadership leadership) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<Leadership> leader(String group) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public long currentTerm(String group) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean isCurrent(Fence fence) {
        throw new UnsupportedOperationException("not yet");
    }
}
