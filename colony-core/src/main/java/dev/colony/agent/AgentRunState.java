package dev.colony.agent;

/**
 * Where an agent is in its life in the runtime: {@code STARTING → RUNNING ⇄ RESTARTING}, then
 * {@code STOPPING → STOPPED}, or {@code FAILED} once its restarts are used up. STOPPED and FAILED are final.
 *
 * <p>The registry's {@link dev.colony.state.AgentStatus} is the colony-wide view; this is the local one,
 * and the only one that shows RESTARTING.
 */
public enum AgentRunState {
    /** onStart has not returned yet. */
    STARTING,
    /** Taking messages. */
    RUNNING,
    /** Crashed; waiting for its backoff or running onStart again. Messages wait in its inbox. */
    RESTARTING,
    /** Stop requested: finishing the current message, then onStop. */
    STOPPING,
    /** Stopped gracefully. */
    STOPPED,
    /** Crashed more often than its restart policy allows. */
    FAILED;

    /** Whether the agent has terminated: STOPPED or FAILED. */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
