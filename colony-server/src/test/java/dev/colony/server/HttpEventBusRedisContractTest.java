package dev.colony.server;

import dev.colony.Colony;

/** {@link HttpEventBusContractTest}, counterparts included, with the server's colony in Redis. */
class HttpEventBusRedisContractTest extends HttpEventBusContractTest {
    @Override
    Colony.Builder colony() {
        return RedisHttp.colony();
    }
}
