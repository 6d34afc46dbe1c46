package dev.colony.server;

import dev.colony.Colony;

/** {@link HttpSharedMemoryContractTest}, counterparts included, with the server's colony in Redis (a swarm per state). */
class HttpSharedMemoryRedisContractTest extends HttpSharedMemoryContractTest {
    @Override
    Colony.Builder colony() {
        return RedisHttp.colony();
    }
}
