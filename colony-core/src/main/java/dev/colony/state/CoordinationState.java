package dev.colony.state;

import dev.colony.bus.EventBus;

/**
 * The coordination state of a colony: its {@link AgentRegistry}, {@link TaskQueue},
 * {@link LeaderElection} and {@link SharedMemory}, announced on one {@link EventBus}.
 *
 * <p>In the embedded backend every operation of every part is linearizable with respect to all others:
 * they share one lock, held only for the in-memory change (never while announcing or running user code).
 * {@link #close()} stops the background sweeper; it is idempotent.
 */
public interface CoordinationState extends AutoCloseable {

    /** The embedded state, announcing on {@code bus}. */
    static CoordinationState create(EventBus bus, StateOptions options) {
        return new LocalState(bus, options);
    }

    AgentRegistry registry();

    TaskQueue tasks();

    LeaderElection leaders();

    SharedMemory memory();

    /**
     * Expires now whatever is due by the clock (missed heartbeats, lapsed leases and leaderships, TTLs)
     * and announces it; returns how many items changed. The background sweeper calls this; tests with a
     * manual clock call it directly.
     */
    int sweep();

    /** The revision: the number of changes made so far. */
    long revision();

    @Override
    void close();
}
