package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.state.AgentRegistry;
import dev.colony.state.CoordinationState;
import dev.colony.state.LeaderElection;
import dev.colony.state.SharedMemory;
import dev.colony.state.Snapshot;
import dev.colony.state.StateContract;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis coordination state runs the whole state contract, unchanged, each state on a swarm of its own. */
class RedisStateContractTest extends StateContract {
    private static final AtomicInteger SWARMS = new AtomicInteger();

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    /**
     * The CAS contention test runs with 32 threads instead of 1,000 (ADR 0018): every success invalidates
     * what all the other threads just read, and over Redis each read and CAS is a network round trip, so
     * 1,000 threads x 20 increments means about 20 M round trips (still running after 10 minutes here).
     * The assertions are the contract's: exact value and version, no lost update.
     */
    @Override
    public int casContenders() {
        return 32;
    }

    @Override
    protected CoordinationState newState(EventBus bus, StateOptions options) {
        RedisLink link = RedisLink.open(redis.server().target("contract-" + SWARMS.incrementAndGet()));
        return new Linked(RedisState.open(link, bus, options), link);
    }

    /** A state that also closes its own link (closing a RedisState never closes the link). */
    record Linked(CoordinationState state, RedisLink link) implements CoordinationState {
        @Override
        public AgentRegistry registry() {
            return state.registry();
        }

        @Override
        public TaskQueue tasks() {
            return state.tasks();
        }

        @Override
        public LeaderElection leaders() {
            return state.leaders();
        }

        @Override
        public SharedMemory memory() {
            return state.memory();
        }

        @Override
        public int sweep() {
            return state.sweep();
        }

        @Override
        public Snapshot snapshot() {
            return state.snapshot();
        }

        @Override
        public void restore(Snapshot snapshot) {
            state.restore(snapshot);
        }

        @Override
        public long revision() {
            return state.revision();
        }

        @Override
        public void close() {
            state.close();
            link.close();
        }
    }
}
