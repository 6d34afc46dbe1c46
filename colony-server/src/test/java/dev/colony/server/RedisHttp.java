package dev.colony.server;

import dev.colony.Colony;
import dev.colony.redis.RedisServer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code redis-server} for the HTTP contract suites on Redis (started on a free port by colony-redis's
 * test fixture, stopped when the test JVM exits), and a fresh swarm on it for every colony.
 */
final class RedisHttp {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static RedisServer server;

    private RedisHttp() {}

    /** A colony builder for a swarm of its own on the shared server. */
    static synchronized Colony.Builder colony() {
        if (server == null) {
            server = RedisServer.start();
            RedisServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return server.colony("http" + SWARMS.incrementAndGet());
    }
}
