package dev.colony.redis;

import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The messenger contract, unchanged, on a real three-master Redis Cluster (each swarm on its slot's master,
 * its nodes connected through another master and the cluster client).
 */
class RedisClusterMessengerContractTest extends MessengerContract {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static RedisCluster cluster;
    private final List<RedisLink> links = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected Messenger newMessenger(Messenger.Builder builder) {
        RedisLink link = RedisLink.open(cluster.target("contract" + SWARMS.incrementAndGet()));
        links.add(link);
        return RedisMessenger.open(link, builder);
    }

    @AfterEach
    void closeLinks() {
        links.forEach(RedisLink::close); // as in RedisMessengerContractTest
        links.clear();
    }
}
