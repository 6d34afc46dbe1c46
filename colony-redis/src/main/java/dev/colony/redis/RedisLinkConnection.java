package dev.colony.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Objects;

/**
 * One connection of a {@link RedisLink}, to a single server or to a Redis Cluster, seen through the commands
 * Lettuce offers on both ({@link RedisClusterAsyncCommands}, {@link RedisClusterCommands}), so every part of a
 * node runs one code path for both (ADR 0074). Over a cluster, a command with keys goes to the master of its
 * first key's slot and follows MOVED and ASK; a command without keys goes to one node of the cluster.
 *
 * <p>Thread-safe as Lettuce's connections are: commands may be issued from any thread.
 *
 * @param stateful the connection itself: {@link StatefulRedisConnection} or {@link StatefulRedisClusterConnection}
 * @param async its asynchronous commands
 * @param sync its synchronous commands
 */
record RedisLinkConnection<K, V>(
        StatefulConnection<K, V> stateful, RedisClusterAsyncCommands<K, V> async, RedisClusterCommands<K, V> sync)
        implements AutoCloseable {

    RedisLinkConnection {
        Objects.requireNonNull(stateful, "stateful");
        Objects.requireNonNull(async, "async");
        Objects.requireNonNull(sync, "sync");
    }

    /** A connection to one server. */
    static <K, V> RedisLinkConnection<K, V> of(StatefulRedisConnection<K, V> connection) {
        return new RedisLinkConnection<>(connection, connection.async(), connection.sync());
    }

    /** A connection to a Redis Cluster. */
    static <K, V> RedisLinkConnection<K, V> of(StatefulRedisClusterConnection<K, V> connection) {
        return new RedisLinkConnection<>(connection, connection.async(), connection.sync());
    }

    /** Whether this is a connection to a Redis Cluster. */
    boolean cluster() {
        return stateful instanceof StatefulRedisClusterConnection<K, V>;
    }

    boolean isOpen() {
        return stateful.isOpen();
    }

    /** See {@link StatefulConnection#setAutoFlushCommands(boolean)}. */
    void setAutoFlushCommands(boolean autoFlush) {
        stateful.setAutoFlushCommands(autoFlush);
    }

    /** See {@link StatefulConnection#flushCommands()}. */
    void flushCommands() {
        stateful.flushCommands();
    }

    @Override
    public void close() {
        stateful.close();
    }
}
