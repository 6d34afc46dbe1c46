package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Assignment by an {@link AgentChooser}, the part every backend shares (ADR 0052): offer, choose outside any
 * lock, then claim that exact task for the chosen agent conditionally; a lost race offers again, for at most
 * {@link #MAX_ROUNDS} rounds. A backend supplies the two atomic steps as {@link Claims}.
 *
 * <p>Each round: the backend's {@link Claims#offer} catches up (expires lapsed leases, readies tasks whose
 * backoff ended) and returns the head of every ready group in claim order with the working agents. For each
 * head in turn, the agents able to do it are the candidates; none, or a chooser that declines, goes on to the
 * next head. The first chosen agent is claimed for by {@link Claims#claim}; if the task or the agent changed
 * meanwhile, the claim refuses and the next round starts from a fresh offer. Safe for any number of concurrent
 * assigners: the claim is the only write and it is conditional.
 */
public final class AssignmentRounds {
    /** How many offers one assign makes before it gives up on a contended queue and answers empty. */
    public static final int MAX_ROUNDS = 16;

    private AssignmentRounds() {}

    /**
     * What the queue offers in one round.
     *
     * @param tasks the head of every ready group, in claim order (highest priority, then earliest submitted)
     * @param agents the IDLE or BUSY agents in registration order, each with its lease count
     */
    public record Offer(List<TaskSpec> tasks, List<AgentChooser.Candidate> agents) {
        public Offer {
            tasks = List.copyOf(tasks);
            agents = List.copyOf(agents);
        }
    }

    /** The two atomic steps a backend provides. */
    public interface Claims {
        /** Catches up and offers the claimable tasks and working agents; null when {@code fence} (nullable) is stale. */
        Offer offer(Fence fence);

        /**
         * Claims task {@code taskId} for {@code agent} for {@code lease}, atomically, only if the fence (nullable)
         * holds, the task is QUEUED and ready, and the agent is IDLE or BUSY with the task's capabilities; empty
         * otherwise, with nothing changed.
         */
        Optional<Lease> claim(String taskId, AgentId agent, Duration lease, Fence fence);
    }

    /** Runs the rounds; see {@link TaskQueue#assign(AgentChooser, Duration, Fence)}. */
    public static Optional<Lease> assign(AgentChooser chooser, Duration lease, Fence fence, Claims claims) {
        Objects.requireNonNull(chooser, "chooser");
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Offer offer = claims.offer(fence);
            if (offer == null || offer.agents().isEmpty()) {
                return Optional.empty();
            }
            Choice choice = choose(chooser, offer);
            if (choice == null) {
                return Optional.empty();
            }
            Optional<Lease> claimed = claims.claim(choice.task().id(), choice.agent(), lease, fence);
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    private record Choice(TaskSpec task, AgentId agent) {}

    /** The first head a chooser chose an agent for, or null. */
    private static Choice choose(AgentChooser chooser, Offer offer) {
        for (TaskSpec task : offer.tasks()) {
            List<AgentChooser.Candidate> candidates = candidates(task, offer.agents());
            if (candidates.isEmpty()) {
                continue;
            }
            Optional<AgentId> chosen = chooser.choose(task, List.copyOf(candidates));
            Objects.requireNonNull(chosen, () -> "the chooser answered null for task \"" + task.id() + "\"");
            if (chosen.isEmpty()) {
                continue;
            }
            AgentId agent = chosen.get();
            if (candidates.stream().noneMatch(c -> c.id().equals(agent))) {
                throw new IllegalArgumentException("the chooser chose agent \"" + agent.value() + "\" for task \""
                        + task.id() + "\", which is not one of its " + candidates.size()
                        + " candidates (IDLE or BUSY with capabilities " + task.requiredCapabilities()
                        + "); nothing was claimed");
            }
            return new Choice(task, agent);
        }
        return null;
    }

    /** The agents of {@code working} whose capabilities cover {@code task}'s requirements. */
    static List<AgentChooser.Candidate> candidates(TaskSpec task, List<AgentChooser.Candidate> working) {
        List<AgentChooser.Candidate> candidates = new ArrayList<>();
        for (AgentChooser.Candidate candidate : working) {
            if (candidate.agent().capabilities().containsAll(task.requiredCapabilities())) {
                candidates.add(candidate);
            }
        }
        return candidates;
    }
}
