package dev.colony.server;

import dev.colony.Colony;

/** {@link HttpLeaderElectionContractTest}, counterparts included, with the server's colony in Redis (a swarm per state). */
class HttpLeaderElectionRedisContractTest extends HttpLeaderElectionContractTest {
    @Override
    Colony.Builder colony() {
        return RedisHttp.colony();
    }
}
