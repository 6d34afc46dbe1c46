package dev.colony.redis;

import dev.colony.Colony;
import dev.colony.agent.AgentsContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent-runtime contract, unchanged, over Redis: the agents run in this JVM, their inboxes, registry
 * records, heartbeats and leases live in a real redis-redis.server(), each test in a swarm of its own.
 */
class RedisAgentsContractTest extends AgentsContract {
    private static final AtomicInteger SWARMS = new AtomicInteger();

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Override
    protected Colony newColony() {
        return Colony.builder()
                .redis(redis.server().uri())
                .swarm("agents-" + SWARMS.incrementAndGet())
                .build();
    }
}
