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

    /**
     * The embedded state, durable in {@code durability}'s directory: recovered from the newest good
     * snapshot there and the journal after it (nothing is announced while recovering), then journaling
     * every change. An empty or missing directory gives an empty state.
     *
     * @throws dev.colony.state.CorruptJournalException if the journal is damaged other than by a torn
     *     last record, or does not continue the snapshot
     * @throws java.io.UncheckedIOException if the directory cannot be read or written
     */
    static DurableState open(EventBus bus, StateOptions options, Durability durability) {
        return DurableLocalState.open(bus, options, durability);
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

    /**
     * A consistent cut of the whole state: registry, tasks with their leases and attempts, election groups
     * and terms, shared memory. Writers wait only while references are copied under the lock (no
     * encoding happens there); encode the result with {@link dev.colony.state.SnapshotCodec}.
     */
    Snapshot snapshot();

    /**
     * Replaces the whole state with {@code snapshot}, atomically: a snapshot whose records contradict each
     * other is refused before anything changes. The revision becomes the snapshot's, so a snapshot taken
     * right after gives the same content. Announced as {@code colony.state.restored}, with a
     * {@link StateChange} whose value is the snapshot.
     *
     * @throws IllegalArgumentException if the snapshot is inconsistent; the message names the broken rule
     */
    void restore(Snapshot snapshot);

    /** The revision: the number of changes made so far. */
    long revision();

    @Override
    void close();
}
