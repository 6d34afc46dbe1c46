package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.state.CoordinationState;
import dev.colony.state.StateContract;
import dev.colony.state.StateOptions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The state contract, unchanged, on a real three-master Redis Cluster: each state's swarm on the master of its
 * hash tag's slot (the swarms of the run land on all three), its node connected through another master and the
 * cluster client.
 */
class RedisClusterStateContractTest extends StateContract {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    /** As in {@link RedisStateContractTest#casContenders()}: 32 threads, every read and CAS a round trip. */
    @Override
    public int casContenders() {
        return 32;
    }

    @Override
    protected CoordinationState newState(EventBus bus, StateOptions options) {
        RedisLink link = RedisLink.open(cluster.target("contract-" + SWARMS.incrementAndGet()));
        return new RedisStateContractTest.Linked(RedisState.open(link, bus, options), link);
    }
}
