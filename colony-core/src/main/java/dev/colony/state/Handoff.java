package dev.colony.state;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TaskQueue#completeAndClaim} did: the outcome of completing the worker's lease, and the lease on
 * the next task it claimed for the same worker (empty when no task was claimable).
 *
 * @param outcome what the completion did ({@link LeaseOutcome#OK} when the task is COMPLETED now)
 * @param next the worker's next lease, claimed after the completion whatever its outcome
 */
public record Handoff(LeaseOutcome outcome, Optional<Lease> next) {
    public Handoff {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(next, "next");
    }
}
