package dev.colony.agent;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.state.CoordinationState;
import java.util.List;

/**
 * The agent runtime of a colony: spawns agents over the colony's messenger, registry and bus, heartbeats
 * them and supervises them. A colony owns one; use {@link dev.colony.Colony#spawn} rather than creating
 * your own.
 *
 * <p><b>Threads.</b> An agent costs one virtual thread while it lives: its inbox's, which runs
 * {@code onMessage}. {@code onStart} runs on a short-lived virtual thread of its own (so {@link #spawn}
 * returns at once, and a slow onStart does not hold up the spawner), as does {@code onStop}. One virtual
 * thread per runtime heartbeats every live agent at its interval: there is no sleeping thread per agent.
 *
 * <p>The registry status of a running agent stays IDLE: it is not flipped to BUSY and back around every
 * message, which would cost two registry writes and two announcements per message.
 *
 * <p>Thread-safe.
 */
public interface Agents extends AutoCloseable {

    /** A runtime over a colony's parts; the colony closes it before them. */
    static Agents create(EventBus bus, Messenger messenger, CoordinationState state) {
        return new LocalAgents(bus, messenger, state);
    }

    /**
     * Registers the agent (STARTING), opens its inbox, and starts it: returns at once, before
     * {@link Behavior#onStart} has run. Messages sent to it meanwhile wait in its inbox.
     *
     * @throws IllegalStateException if an agent with this id is live, or the runtime is closed
     */
    AgentHandle spawn(AgentSpec spec, Behavior behavior);

    /** The agents that have not terminated, in no particular order. */
    List<AgentHandle> agents();

    /**
     * Stops every agent, gracefully for up to {@link AgentHandle#DEFAULT_STOP_TIMEOUT} in all, then
     * interrupts those still running and waits a little more; stops the heartbeat thread. Idempotent.
     */
    @Override
    void close();
}
