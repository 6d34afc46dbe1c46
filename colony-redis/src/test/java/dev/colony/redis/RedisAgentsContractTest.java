package dev.colony.redis;

import dev.colony.Colony;
import dev.colony.agent.AgentsContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The agent-runtime contract, unchanged, over Redis: the agents run in this JVM, their inboxes, registry
 * records, heartbeats and leases live in a real redis-server, each test in a swarm of its own.
 */
class RedisAgentsContractTest extends AgentsContract {
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

    @Override
    protected Colony newColony() {
        return Colony.builder()
                .redis(server.uri())
                .swarm("agents-" + SWARMS.incrementAndGet())
                .build();
    }
}
