package dev.colony.server;

import dev.colony.Colony;

/** {@link InboxCloseTest} with the server's colony in Redis (a swarm of its own). */
class InboxCloseRedisTest extends InboxCloseTest {
    @Override
    Colony colony() {
        return RedisHttp.colony().build();
    }
}
