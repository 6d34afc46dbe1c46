package dev.colony.server;

import dev.colony.Colony;

/** {@link HttpInboxBoundTest} with the colony in Redis (a swarm of its own): the same exact 3C. */
class HttpInboxBoundRedisTest extends HttpInboxBoundTest {
    @Override
    Colony colony() {
        return RedisHttp.colony().build();
    }
}
