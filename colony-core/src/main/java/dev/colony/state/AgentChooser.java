package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's choice of the agent that gets a task, for {@link TaskQueue#assign(AgentChooser, java.time.Duration,
 * Fence)}: the task and its eligible candidates in, the chosen agent (or none) out. A
 * {@link dev.colony.state.AssignmentStrategy} covers the common cases; a chooser is for everything else (a
 * scoring function, a WebAssembly scorer, affinity to the agent that ran the last attempt).
 *
 * <p><b>Candidates</b> are exactly the registered agents that are IDLE or BUSY and whose capabilities cover the
 * task's requirements, in registration order, each with the number of leases it held when the queue offered
 * the task. The list is never empty.
 *
 * <p><b>Atomicity.</b> The chooser runs outside the queue's lock (and, on Redis, in this JVM between two
 * scripts); the queue then claims that exact task for the chosen agent only if the task is still claimable and
 * the agent still working and eligible, atomically, and otherwise offers again (a bounded number of rounds).
 * So a chooser may be called more than once per assignment and must not assume its answer was applied.
 *
 * <p><b>Answers.</b> An empty answer declines the task: the queue goes on with the next claimable task whose
 * requirements differ. Choosing an agent that is not among the candidates is a programming error: assign
 * throws {@link IllegalArgumentException} and claims nothing. An exception from the chooser reaches the caller
 * of assign, with nothing claimed. Called on the assigning thread, holding no lock of the queue: it may read
 * the state (a change it makes meanwhile is just another race the conditional claim settles), and it should be
 * cheap, since the assignment waits for it.
 */
@FunctionalInterface
public interface AgentChooser {

    /** The agent to give {@code task} to among {@code candidates} (never empty), or empty to decline the task. */
    Optional<AgentId> choose(TaskSpec task, List<Candidate> candidates);

    /**
     * An agent able to do a task.
     *
     * @param agent the agent as registered (IDLE or BUSY, with the task's capabilities)
     * @param leases how many leases it held when the task was offered
     */
    record Candidate(AgentRecord agent, int leases) {
        public Candidate {
            Objects.requireNonNull(agent, "agent");
            if (leases < 0) {
                throw new IllegalArgumentException("leases must be at least 0, got " + leases);
            }
        }

        /** The candidate's id. */
        public AgentId id() {
            return agent.id();
        }
    }
}
