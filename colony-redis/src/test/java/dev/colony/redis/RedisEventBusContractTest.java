package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.bus.EventBusContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole event bus contract, unchanged, against one Redis event bus node: every publish also travels
 * through Redis (and comes back to the node as its own echo, which it skips), so this checks that the
 * Redis leg never disturbs local delivery. {@link RedisEventBusCrossNodeContractTest} runs the contract
 * with every event crossing Redis.
 */
class RedisEventBusContractTest extends EventBusContract {
    private static final AtomicInteger SWARMS = new AtomicInteger();
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

    @AfterEach
    void flush() {
        server.command("FLUSHALL");
    }

    @Override
    protected EventBus newBus(EventBus.Builder builder) {
        SWARMS.incrementAndGet();
        return RedisEventBus.open(link, builder);
    }
}
