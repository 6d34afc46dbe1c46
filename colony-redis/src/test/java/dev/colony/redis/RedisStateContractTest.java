package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.snapshot.Snapshot;
import dev.colony.state.AgentRegistry;
import dev.colony.state.CoordinationState;
import dev.colony.state.LeaderElection;
import dev.colony.state.SharedMemory;
import dev.colony.state.StateContract;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Redis coordination state runs the whole state contract, unchanged, each state on a swarm of its own. */
class RedisStateContractTest extends StateContract {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /**
     * Not run over Redis (ADR 0018): 1,000 threads each increment one key 20 times by read, then
     * compare-and-set. Every success invalidates the version all other 999 threads just read, and over
     * Redis each read and each CAS is a network round trip that parks the thread, so all 1,000 contend on
     * every increment: about 20,000 x 1,000 round trips (20 M), which does not finish within the test's
     * 60 s (observed: still running after 5 minutes on this machine). The embedded state passes because a
     * thread's read and CAS run back to back without parking. Lost-update freedom over Redis is checked by
     * RedisStateNodesTest#casAcrossNodes_noLostUpdate (50 threads on two nodes) instead.
     */
    @Override
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Disabled("contention-bound over a network: see the Javadoc and ADR 0018")
    public void compareAndSet_concurrentIncrements_noLostUpdate() {}

    @Override
    protected CoordinationState newState(EventBus bus, StateOptions options) {
        RedisLink link = RedisLink.open(server.target("contract-" + SWARMS.incrementAndGet()));
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
