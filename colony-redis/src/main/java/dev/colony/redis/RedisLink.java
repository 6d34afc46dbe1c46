package dev.colony.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.lang.System.Logger.Level;
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
 *
 * <p><b>Single server or cluster</b> (ADR 0074). On its first connection the link asks the URI's server
 * {@code INFO cluster}: a server that answers {@code cluster_enabled:1} is a Redis Cluster node, and the
 * link then connects through Lettuce's cluster client seeded with that URI (its password, TLS and timeout
 * apply to every node): commands go to the master of their key's slot and follow MOVED and ASK, and the
 * topology is refreshed every {@link #TOPOLOGY_REFRESH} and at once on a redirection or repeated reconnects.
 * Any other server, a Sentinel URI, and a server that refuses INFO (an ACL, a proxy) get the single-server
 * client. Both kinds of connection are a {@link RedisLinkConnection}, so every part runs one code path.
 */
final class RedisLink implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.colony.redis");

    static final Duration RECONNECT_MIN = Duration.ofMillis(50);
    static final Duration RECONNECT_MAX = Duration.ofSeconds(2);

    /** How often a cluster link re-reads the cluster's topology besides the adaptive triggers. */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(15);

    /**
     * The longest command timeout a link accepts. Lettuce ends every command after the link's own timeout;
     * code that waits for a reply bounds its wait by this (plus a second) as a backstop only.
     */
    static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(5);

    /** The client a link connects with, chosen on its first connection. */
    private sealed interface Client permits Single, Cluster {
        AbstractRedisClient client();
    }

    private record Single(RedisClient client) implements Client {}

    private record Cluster(RedisClusterClient client) implements Client {}

    private final RedisTarget target;
    private final RedisSettings settings;
    private final RedisURI uri;
    private final Duration commandTimeout;
    private final ClientResources resources;
    private final RedisLinkWatch watch;
    private final Disposable reconnectFailures;
    private final Object lock = new Object();
    private volatile Client client; // written once under lock, read without it
    private boolean closed; // guarded by lock

    private RedisLink(RedisTarget target, RedisSettings settings) {
        this.target = target;
        this.settings = settings;
        this.uri = target.lettuceUri(settings.commandTimeout());
        this.commandTimeout = uri.getTimeout();
        if (commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0 || commandTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the command timeout must be 1 ms to " + MAX_COMMAND_TIMEOUT + ", got " + commandTimeout);
        }
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.fullJitter(RECONNECT_MIN, RECONNECT_MAX, 50, TimeUnit.MILLISECONDS))
                .build();
        this.watch = new RedisLinkWatch(target);
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

    /** Whether the link connects to a Redis Cluster (asks the server on the first call). */
    boolean cluster() {
        return client() instanceof Cluster;
    }

    /** A new connection with string keys and values. */
    RedisLinkConnection<String, String> connectStrings() {
        return connect(StringCodec.UTF8);
    }

    /** A new connection with string keys and byte-array values. */
    RedisLinkConnection<String, byte[]> connectBytes() {
        return connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    private <V> RedisLinkConnection<String, V> connect(RedisCodec<String, V> codec) {
        return switch (client()) {
            case Single single -> RedisLinkConnection.of(single.client().connect(codec));
            case Cluster cluster -> RedisLinkConnection.of(cluster.client().connect(codec));
        };
    }

    /**
     * A new pub/sub connection with string channels and byte-array messages. On a cluster it subscribes on
     * one node and gets every node's messages (PUBLISH is broadcast); after losing that node it reconnects
     * to a node of the current topology and subscribes again.
     */
    StatefulRedisPubSubConnection<String, byte[]> connectPubSub() {
        RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        return switch (client()) {
            case Single single -> single.client().connectPubSub(codec);
            case Cluster cluster -> cluster.client().connectPubSub(codec);
        };
    }

    private Client client() {
        Client known = client;
        if (known != null) {
            return known;
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the Redis link to " + target + " is closed");
            }
            if (client == null) {
                client = choose();
            }
            return client;
        }
    }

    /** The single-server client, or the cluster client when the URI's server is a cluster node. */
    private Client choose() {
        RedisClient single = RedisClient.create(resources, uri);
        single.setOptions(options(ClientOptions.builder()).build());
        if (uri.getSentinels().isEmpty()) {
            boolean cluster;
            try {
                cluster = clusterEnabled(single);
            } catch (RuntimeException e) {
                single.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                throw e;
            }
            if (cluster) {
                single.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                return clusterClient();
            }
        }
        single.addListener(watch);
        return new Single(single);
    }

    /** Whether the URI's server says {@code cluster_enabled:1}; false when it refuses to say. */
    private boolean clusterEnabled(RedisClient single) {
        // database 0: a cluster node refuses SELECT of any other, and cluster() names that problem
        RedisURI zero = RedisURI.builder(uri).withDatabase(0).build();
        try (StatefulRedisConnection<String, String> probe = single.connect(zero)) {
            return probe.sync().info("cluster").contains("cluster_enabled:1");
        } catch (RedisCommandExecutionException e) {
            LOG.log(
                    Level.INFO,
                    "Redis at {0} does not answer INFO cluster ({1}): connecting as to a single server",
                    target,
                    e.getMessage());
            return false;
        }
    }

    private Cluster clusterClient() {
        if (uri.getDatabase() != 0) {
            throw new IllegalArgumentException("the Redis URI of " + target + " names database " + uri.getDatabase()
                    + ", but its server is a Redis Cluster node, which has database 0 only");
        }
        RedisClusterClient cluster = RedisClusterClient.create(resources, uri);
        ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                .maxRedirects(5)
                // Lettuce 7 enables every adaptive trigger by default (MOVED, ASK, persistent reconnects,
                // uncovered slot, unknown node), at most one refresh per 5 s; the period catches the rest
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        .build());
        options(options);
        cluster.setOptions(options.build());
        cluster.addListener(watch);
        LOG.log(Level.INFO, "Redis at {0} is a cluster node: connecting through the cluster client", target);
        return new Cluster(cluster);
    }

    /** Colony's connection policy on {@code options}, for either client. */
    private <B extends ClientOptions.Builder> B options(B options) {
        options.autoReconnect(true)
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
        return options;
    }

    @Override
    public void close() {
        Client used;
        synchronized (lock) {
            closed = true;
            used = client;
        }
        watch.closing();
        reconnectFailures.dispose();
        if (used != null) {
            used.client().shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
