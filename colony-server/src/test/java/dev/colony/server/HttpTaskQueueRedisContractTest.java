package dev.colony.server;

import dev.colony.Colony;

/** {@link HttpTaskQueueContractTest}, counterparts included, with the server's colony in Redis (a swarm per state). */
class HttpTaskQueueRedisContractTest extends HttpTaskQueueContractTest {
    @Override
    Colony.Builder colony() {
        return RedisHttp.colony();
    }
}
