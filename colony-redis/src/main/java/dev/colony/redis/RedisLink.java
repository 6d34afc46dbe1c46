package dev.colony.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * One swarm's link to Redis: a Lettuce client with Colony's connection policy, shared by the bus, the
 * messenger and the state of one colony. Package-private: no client type appears in Colony's API.
 *
 * <p>Policy: connections reconnect by themselves with full-jitter backoff between {@link
 * #RECONNECT_MIN} and {@link #RECONNECT_MAX}; while disconnected, commands wait in a queue bounded by
 * {@link #COMMAND_QUEUE_LIMIT} per connection, and a command beyond it fails at once with an exception
 * (never silently dropped); every command times out after {@link #COMMAND_TIMEOUT}. Losing and regaining
 * a connection is logged ({@link RedisLinkWatch}).
 */
final class RedisLink implements AutoCloseable {

    static final Duration RECONNECT_MIN = Duration.ofMillis(50);
    static final Duration RECONNECT_MAX = Duration.ofSeconds(2);
    static final int COMMAND_QUEUE_LIMIT = 100_000;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final RedisTarget target;
    private final ClientResources resources;
    private final RedisClient client;
    private final Disposable reconnectFailures;

    private RedisLink(RedisTarget target) {
        this.target = target;
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.fullJitter(RECONNECT_MIN, RECONNECT_MAX, 50, TimeUnit.MILLISECONDS))
                .build();
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(target.host())
                .withPort(target.port())
                .withTimeout(COMMAND_TIMEOUT);
        if (!target.password().isEmpty()) {
            uri.withPassword(target.password().toCharArray());
        }
        this.client = RedisClient.create(resources, uri.build());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .requestQueueSize(COMMAND_QUEUE_LIMIT)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .tcpNoDelay(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        RedisLinkWatch watch = new RedisLinkWatch(target);
        client.addListener(watch);
        this.reconnectFailures = watch.watchReconnectFailures(resources.eventBus());
    }

    /** A link to {@code target}; connects lazily, on the first {@code connect}. */
    static RedisLink open(RedisTarget target) {
        return new RedisLink(Objects.requireNonNull(target, "target"));
    }

    RedisTarget target() {
        return target;
    }

    /** A new connection with string keys and values. */
    StatefulRedisConnection<String, String> connectStrings() {
        return client.connect(StringCodec.UTF8);
    }

    /** A new connection with string keys and byte-array values. */
    StatefulRedisConnection<String, byte[]> connectBytes() {
        return client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    /** A new pub/sub connection with string channels and byte-array messages. */
    StatefulRedisPubSubConnection<String, byte[]> connectPubSub() {
        return client.connectPubSub(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    @Override
    public void close() {
        reconnectFailures.dispose();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
