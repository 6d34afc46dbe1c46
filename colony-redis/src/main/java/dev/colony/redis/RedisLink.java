package dev.colony.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
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
 * {@link RedisSettings#commandQueue()} per connection, and a command beyond it fails at once with an
 * exception (never silently dropped); every command times out after {@link #commandTimeout()} (the URI's
 * {@code timeout}, else {@link RedisSettings#commandTimeout()}). Losing and regaining a connection is logged
 * ({@link RedisLinkWatch}). The URI's user and password (ACL), database, client name, TLS and Sentinel
 * settings are Lettuce's own ({@link RedisTarget}).
 */
final class RedisLink implements AutoCloseable {

    static final Duration RECONNECT_MIN = Duration.ofMillis(50);
    static final Duration RECONNECT_MAX = Duration.ofSeconds(2);

    /**
     * The longest command timeout a link accepts. Lettuce ends every command after the link's own timeout;
     * code that waits for a reply bounds its wait by this (plus a second) as a backstop only.
     */
    static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(5);

    private final RedisTarget target;
    private final RedisSettings settings;
    private final Duration commandTimeout;
    private final ClientResources resources;
    private final RedisClient client;
    private final Disposable reconnectFailures;

    private RedisLink(RedisTarget target, RedisSettings settings) {
        this.target = target;
        this.settings = settings;
        RedisURI uri = target.lettuceUri(settings.commandTimeout());
        this.commandTimeout = uri.getTimeout();
        if (commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0 || commandTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the command timeout must be 1 ms to " + MAX_COMMAND_TIMEOUT + ", got " + commandTimeout);
        }
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.fullJitter(RECONNECT_MIN, RECONNECT_MAX, 50, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .requestQueueSize(settings.commandQueue())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.connectTimeout())
                        .tcpNoDelay(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout));
        if (settings.tlsCaFile() != null) {
            options.sslOptions(SslOptions.builder()
                    .jdkSslProvider()
                    .trustManager(settings.tlsCaFile().toFile())
                    .build());
        }
        client.setOptions(options.build());
        RedisLinkWatch watch = new RedisLinkWatch(target);
        client.addListener(watch);
        this.reconnectFailures = watch.watchReconnectFailures(resources.eventBus());
    }

    /** A link to {@code target} with default settings; connects lazily, on the first {@code connect}. */
    static RedisLink open(RedisTarget target) {
        return open(target, RedisSettings.defaults());
    }

    /** A link to {@code target} with {@code settings}; connects lazily, on the first {@code connect}. */
    static RedisLink open(RedisTarget target, RedisSettings settings) {
        return new RedisLink(Objects.requireNonNull(target, "target"), Objects.requireNonNull(settings, "settings"));
    }

    RedisTarget target() {
        return target;
    }

    RedisSettings settings() {
        return settings;
    }

    /** How long a command may wait for its reply: the URI's {@code timeout}, else the settings'. */
    Duration commandTimeout() {
        return commandTimeout;
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
