package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.bus.EventBusContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The event bus contract, unchanged, on a real three-master Redis Cluster: the node connects through the cluster
 * client, and cluster pub/sub carries every message to every node's subscribers.
 */
class RedisClusterEventBusContractTest extends EventBusContract {
    private static RedisCluster cluster;
    private static RedisLink link;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
        link = RedisLink.open(cluster.target("contract"));
    }

    @AfterAll
    static void stopCluster() {
        link.close();
        cluster.close();
    }

    @Override
    protected EventBus newBus(EventBus.Builder builder) {
        return RedisEventBus.open(link, builder);
    }
}
