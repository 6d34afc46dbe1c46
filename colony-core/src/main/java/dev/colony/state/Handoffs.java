package dev.colony.state;

import java.util.List;

/**
 * What {@link TaskQueue#completeAndClaim(dev.colony.messaging.AgentId, List, java.util.Set,
 * java.time.Duration, int)} did: the outcome of each completion, in the order given, and the leases on the
 * tasks it claimed next for the worker, in claim order (none when no task was claimable).
 *
 * @param outcomes one per completion, in order ({@link LeaseOutcome#OK} when that task is COMPLETED now)
 * @param next the worker's next leases, claimed after the completions whatever their outcomes
 */
public record Handoffs(List<LeaseOutcome> outcomes, List<Lease> next) {
    public Handoffs {
        outcomes = List.copyOf(outcomes);
        next = List.copyOf(next);
    }
}
