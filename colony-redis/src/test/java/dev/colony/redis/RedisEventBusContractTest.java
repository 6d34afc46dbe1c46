package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.bus.EventBusContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole event bus contract, unchanged, against one Redis event bus node: every publish also travels
 * through Redis (and comes back to the node as its own echo, which it skips), so this checks that the
 * Redis leg never disturbs local delivery. {@link RedisEventBusCrossNodeContractTest} runs the contract
 * with every event crossing Redis.
 */
class RedisEventBusContractTest extends EventBusContract {
    private static RedisServer server;
    private static RedisLink link;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
        link = RedisLink.open(server.target("contract"));
    }

    @AfterAll
    static void stopServer() {
        link.close();
        server.close();
    }

    @Override
    protected EventBus newBus(EventBus.Builder builder) {
        return RedisEventBus.open(link, builder); // pub/sub keeps nothing: the buses of one test class share a swarm
    }
}
