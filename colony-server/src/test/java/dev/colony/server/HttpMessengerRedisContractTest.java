package dev.colony.server;

import dev.colony.Colony;

/** {@link HttpMessengerContractTest}, counterparts included, with the server's colony in Redis. */
class HttpMessengerRedisContractTest extends HttpMessengerContractTest {
    @Override
    Colony.Builder colony() {
        return RedisHttp.colony();
    }
}
