package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The agent choice of {@link TaskQueue#assign}: one {@link AssignmentStrategy} applied to the working agents
 * (IDLE or BUSY, in registration order) whose capabilities cover a task's requirements. Holds the
 * round-robin cursor (the agent chosen last). Not thread-safe: used under the state lock.
 */
final class TaskAssignment {
    private AgentId lastRoundRobin;

    /** The agent {@code strategy} picks among {@code working} for a task needing {@code required}, or null. */
    AgentId choose(
            AssignmentStrategy strategy,
            List<AgentRecord> working,
            Set<String> required,
            ToIntFunction<AgentId> leaseCount) {
        return switch (strategy) {
            case PRIORITY -> first(working, required);
            case LEAST_LOADED -> leastLoaded(working, required, leaseCount);
            case CAPABILITY_MATCH -> closestMatch(working, required);
            case ROUND_ROBIN -> nextInTurn(working, required);
        };
    }

    private static AgentId first(List<AgentRecord> working, Set<String> required) {
        for (AgentRecord agent : working) {
            if (agent.capabilities().containsAll(required)) {
                return agent.id();
            }
        }
        return null;
    }

    /** Fewest leases; the strict comparison keeps the earliest registered on ties. */
    private static AgentId leastLoaded(
            List<AgentRecord> working, Set<String> required, ToIntFunction<AgentId> leaseCount) {
        AgentId best = null;
        int bestCount = Integer.MAX_VALUE;
        for (AgentRecord agent : working) {
            if (agent.capabilities().containsAll(required)) {
                int count = leaseCount.applyAsInt(agent.id());
                if (count < bestCount) {
                    best = agent.id();
                    bestCount = count;
                }
            }
        }
        return best;
    }

    /** Fewest capabilities beyond the required ones; ties to the earliest registered. */
    private static AgentId closestMatch(List<AgentRecord> working, Set<String> required) {
        AgentId best = null;
        int bestExtra = Integer.MAX_VALUE;
        for (AgentRecord agent : working) {
            if (agent.capabilities().containsAll(required)) {
                int extra = agent.capabilities().size() - required.size();
                if (extra < bestExtra) {
                    best = agent.id();
                    bestExtra = extra;
                }
            }
        }
        return best;
    }

    /**
     * The first eligible agent registered after the one chosen last, wrapping around. If that agent is no
     * longer working, the turn starts again from the earliest registered.
     */
    private AgentId nextInTurn(List<AgentRecord> working, Set<String> required) {
        int start = 0;
        for (int i = 0; i < working.size(); i++) {
            if (working.get(i).id().equals(lastRoundRobin)) {
                start = i + 1;
                break;
            }
        }
        for (int k = 0; k < working.size(); k++) {
            AgentRecord agent = working.get((start + k) % working.size());
            if (agent.capabilities().containsAll(required)) {
                lastRoundRobin = agent.id();
                return agent.id();
            }
        }
        return null;
    }
}
