package dev.colony.server;

import dev.colony.Colony;

/** {@link HttpAgentRegistryContractTest}, counterparts included, with the server's colony in Redis (a swarm per state). */
class HttpAgentRegistryRedisContractTest extends HttpAgentRegistryContractTest {
    @Override
    Colony.Builder colony() {
        return RedisHttp.colony();
    }
}
