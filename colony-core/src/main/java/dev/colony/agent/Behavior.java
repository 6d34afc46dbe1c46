package dev.colony.agent;

import dev.colony.messaging.Envelope;

/**
 * What an agent does: set up, handle its messages one at a time, clean up.
 *
 * <p>The runtime never calls the methods of one agent's behavior concurrently, and each call happens-before
 * the next, so a behavior may keep plain mutable fields. Event handlers given to
 * {@link AgentContext#subscribe} are the exception: they run on the bus's threads, concurrently with these
 * methods.
 *
 * <p><b>Crashes.</b> A method that throws crashes the agent: see {@link AgentHandle} for restarts. The same
 * behavior object is restarted ({@link #onStart} is called again), so {@code onStart} should reset whatever
 * state it needs. A message whose handling threw is not redelivered.
 */
@FunctionalInterface
public interface Behavior {

    /** Called once the agent is registered and its inbox open, before its first message; again on restart. */
    default void onStart(AgentContext ctx) throws Exception {}

    /** Handles one message of the agent's inbox. */
    void onMessage(AgentContext ctx, Envelope message) throws Exception;

    /**
     * Called once when the agent stops gracefully, after its last message and only if its last
     * {@link #onStart} succeeded; not called on a crashed agent, nor on a FAILED one.
     */
    default void onStop(AgentContext ctx) throws Exception {}
}
