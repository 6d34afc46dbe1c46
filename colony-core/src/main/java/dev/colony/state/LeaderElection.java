package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.Optional;

/**
 * Leader election by leases with fencing terms. A candidate that campaigns while its group has no leader
 * (none yet, resigned, or its lease lapsed) is elected with a new, larger term; only the current leader
 * of the current term can renew or resign. A leader that stopped renewing loses the group at its
 * lease's end, and the next campaign elects someone else.
 *
 * <p>Announcements: {@code colony.leader.<group>.elected|resigned|expired} with a {@link StateChange} whose
 * value is the {@link Leadership}. Watch them to observe changes. Linearizable; thread-safe.
 */
public interface LeaderElection {

    /**
     * Campaigns for {@code group}: elected (a new term) if nobody leads it now; if {@code candidate} already
     * leads it, the same term is returned with its lease extended; empty if another candidate leads.
     */
    Optional<Leadership> campaign(String group, AgentId candidate, Duration lease);

    /** Extends the lease; false unless {@code leadership} is still the group's current leadership. */
    boolean renew(Leadership leadership, Duration lease);

    /** Steps down; false unless {@code leadership} is still the group's current leadership. */
    boolean resign(Leadership leadership);

    /** The group's current leadership, if its lease has not lapsed. */
    Optional<Leadership> leader(String group);

    /** The group's latest term (0 before the first election); it never goes down. */
    long currentTerm(String group);

    /** Whether {@code fence} carries the group's latest term. */
    boolean isCurrent(Fence fence);
}
