package dev.colony.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A redis-server of the test class's own, started before its first test and stopped (and its directory deleted)
 * after its last: {@code @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();},
 * then {@code redis.server()}. The server is a {@link RedisServer}: a free loopback port, a temporary directory,
 * no persistence, stopped by its pid.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    private RedisServer server;

    /** The running server; only between the class's {@code @BeforeAll} and {@code @AfterAll}. */
    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("the test class's redis-server is not running");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
