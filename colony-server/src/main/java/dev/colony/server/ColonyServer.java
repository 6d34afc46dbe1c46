package dev.colony.server;

import dev.colony.Colony;
import dev.colony.alert.Alerts;
import dev.colony.server.auth.Guard;
import dev.colony.server.dashboard.Dashboard;
import dev.colony.state.DurableState;
import dev.colony.wasm.PluginHost;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Colony over HTTP: the {@code /v1} JSON API, its SSE streams, health, metrics and the OpenAPI document,
 * on Jetty 12 (core handlers, requests on virtual threads; ADR 0029).
 *
 * <p>Secure by default: it binds to loopback; a non-loopback bind needs TLS or an explicit
 * {@link Builder#allowInsecureBind}; every request passes the Host and Origin checks and the
 * {@link Guard}; bodies are limited ({@link ServerLimits}); every name a principal uses is kept in its
 * account's namespace (ADR 0030).
 *
 * <p>The server does not own the colony: {@link #close()} stops serving (and the periodic checkpoints),
 * then the caller closes the colony. {@code close()} is idempotent.
 */
public final class ColonyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.colony.server");

    /**
     * The listen backlog asked of the kernel (which caps it at {@code net.core.somaxconn}, 4096 by default on Linux
     * since 5.4). Jetty's default, 0, means Java's 50: a burst of a few hundred agents connecting while the acceptor
     * is slow (a loaded machine) overflowed it, the kernel dropped SYNs (a connect then waits 1 s, 3 s, ...) and
     * answered others with SYN cookies, and a cookie connection whose first segment was dropped was reset when its
     * next one arrived: a request with no answer at all (ADR 0057, second amendment). Pending connections cost the
     * kernel a socket each, and only while they wait.
     */
    static final int ACCEPT_QUEUE = 4096;

    private final Server jetty;
    private final ServerConnector connector;
    private final Parts parts;
    private final ColonyHandler handler;
    private final PluginHost plugins;
    private final boolean ownsPlugins;
    private final Endpoint endpoint;
    private final boolean tls;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopCheckpoints = new CountDownLatch(1);
    private volatile boolean ready;

    private ColonyServer(Builder b) {
        this.tls = b.tls != null;
        this.parts = new Parts(
                b.colony,
                b.limits,
                new TaskSignal(b.colony.bus()),
                new EventRing(b.colony.bus(), b.limits),
                new Inboxes(b.colony.messenger()),
                b.alerts,
                new LongAdder());
        this.ownsPlugins = b.plugins == null;
        this.plugins = ownsPlugins ? ownPlugins(b.colony) : b.plugins;
        List<Route> routes = new ArrayList<>();
        routes.addAll(new OpsRoutes(parts, () -> ready).routes());
        routes.addAll(new EventRoutes(parts, plugins).routes());
        routes.addAll(new MessageRoutes(parts).routes());
        routes.addAll(new AgentRoutes(parts).routes());
        routes.addAll(new TaskRoutes(parts).routes());
        routes.addAll(new LeaderRoutes(parts).routes());
        routes.addAll(new MemoryRoutes(parts).routes());
        routes.addAll(new PluginRoutes(plugins).routes());
        this.handler = new ColonyHandler(routes, b.guard, b.limits, b.hostPolicy());
        this.endpoint = b.endpoint == null
                ? null
                : b.endpoint.apply(new LocalApi(routes, b.guard, b.limits, b.hostPolicy(), b.statelessMcp));

        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("colony-http");
        // handlers block (long-polls, SSE, fsync), so they run on virtual threads; selectors stay on the pool
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.jetty = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        if (tls) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // the Host check is ours, the same with and without TLS
            config.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(b.tls.keyStore());
            ssl.setKeyStorePassword(new String(b.tls.password()));
            this.connector = new ServerConnector(jetty, ssl, new HttpConnectionFactory(config));
        } else {
            this.connector = new ServerConnector(jetty, new HttpConnectionFactory(config));
        }
        connector.setHost(b.bind);
        connector.setPort(b.port);
        connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(60)); // above the 25 s long-poll cap
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        jetty.addConnector(connector);
        HostPolicy hostPolicy = b.hostPolicy();
        jetty.setHandler(new Dashboard(
                endpoint == null ? handler : endpoint.around(handler),
                b.colony,
                b.guard,
                b.alerts,
                (host, origin) -> {
                    try {
                        hostPolicy.check(host, origin);
                        return true;
                    } catch (Problem p) {
                        return false;
                    }
                },
                agent -> parts.inboxes() // an HTTP agent's backlog is in the server's buffer, not only its inbox
                        .get(agent)
                        .map(inbox -> OptionalInt.of(inbox.unread()))
                        .orElseGet(() -> b.colony.messenger().inboxSize(agent)),
                // the bus's subscriptions but the replay ring's own (it matches every acct. subject), and the
                // ring's SSE streams, which are no bus subscriptions of their own
                subject -> Math.max(0, b.colony.bus().subscriberCount(subject) - 1)
                        + parts.ring().listening(subject),
                b.dashboardHistory,
                this::nodeName,
                parts.completed()::sum));
        jetty.setStopTimeout(5_000);
        if (b.checkpointEvery != null && b.colony.state() instanceof DurableState durable) {
            Thread.ofVirtual().name("colony-server-checkpoints").start(() -> checkpoints(durable, b.checkpointEvery));
        }
    }

    /** Settings for a server; {@link Builder#colony} and {@link Builder#guard} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving; returns when the port is bound.
     *
     * @throws IllegalStateException if the port cannot be bound
     */
    public ColonyServer start() {
        try {
            jetty.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException(
                    "cannot serve on " + connector.getHost() + ":" + connector.getPort() + ": " + e.getMessage(), e);
        }
        ready = true;
        LOG.log(System.Logger.Level.INFO, "serving " + uri());
        return this;
    }

    /** The bound port (the actual one when built with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The base URI, such as {@code http://127.0.0.1:7070}. */
    public URI uri() {
        String host = connector.getHost().contains(":") ? "[" + connector.getHost() + "]" : connector.getHost();
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port());
    }

    /** The paths of every route, as {@code METHOD /template}, for the OpenAPI completeness check. */
    List<String> routeKeys() {
        return handler.routes().stream()
                .map(r -> r.method() + " " + r.template())
                .toList();
    }

    /**
     * This server's name in the dashboard's per-node table: the host's name and the bound port (unique among the
     * servers of a swarm, and the same again after a restart on the same port).
     */
    private String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = connector.getHost() == null ? "localhost" : connector.getHost();
        }
        return host + ":" + port();
    }

    /**
     * Pauses ({@code false}) or resumes taking connections off the kernel's accept queue, for the test of the
     * listen backlog (a busy acceptor on a loaded machine, made deterministic).
     */
    void accepting(boolean accepting) {
        connector.setAccepting(accepting);
    }

    /** How many task claims are waiting now. */
    int waitingClaims() {
        return parts.signal().waiting();
    }

    /** How many event streams are attached now. */
    int streams() {
        return parts.ring().listeners();
    }

    private void checkpoints(DurableState durable, Duration every) {
        long lastRevision = durable.revision();
        try {
            while (!stopCheckpoints.await(every.toNanos(), TimeUnit.NANOSECONDS)) {
                long revision = durable.revision();
                if (revision != lastRevision) {
                    try {
                        durable.checkpoint();
                        lastRevision = revision;
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "periodic checkpoint failed: " + e.getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ready = false;
        stopCheckpoints.countDown();
        parts.ring().close();
        parts.inboxes().close();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the HTTP server: " + e.getMessage());
        }
        parts.signal().close();
        if (endpoint != null) {
            endpoint.close();
        }
        if (ownsPlugins) {
            plugins.close();
        }
    }

    private static PluginHost ownPlugins(Colony colony) {
        try {
            return PluginHost.builder()
                    .bus(colony.bus())
                    .metrics(colony.metrics())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "this colony already has a plugin host (its colony.plugin.* metrics are registered), perhaps"
                            + " another ColonyServer's: give each server over one Colony the same host with"
                            + " Builder.plugins(otherServer.plugins())",
                    e);
        }
    }

    /** The plugin host behind {@code /v1/admin/plugins}: the one given to the builder, else the server's own. */
    public PluginHost plugins() {
        return plugins;
    }

    /** Settings of a {@link ColonyServer}. */
    public static final class Builder {
        private int port = 7070;
        private String bind = "127.0.0.1";
        private Colony colony;
        private Guard guard;
        private ServerLimits limits = ServerLimits.defaults();
        private Tls tls;
        private boolean allowInsecureBind;
        private final Set<String> hosts = new HashSet<>();
        private final Set<String> origins = new HashSet<>();
        private Alerts alerts;
        private Duration checkpointEvery = Duration.ofMinutes(1);
        private PluginHost plugins;
        private boolean statelessMcp;
        private Path dashboardHistory;
        private java.util.function.Function<LocalApi, ? extends Endpoint> endpoint;

        private Builder() {}

        /** The port, 0 for any free one; default 7070. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The address to bind, default {@code 127.0.0.1}. A non-loopback one needs TLS or {@link #allowInsecureBind}. */
        public Builder bind(String address) {
            Objects.requireNonNull(address, "bind");
            if (address.isBlank()) {
                throw new IllegalArgumentException("bind address must not be blank");
            }
            this.bind = address.strip();
            return this;
        }

        public Builder colony(Colony colony) {
            this.colony = Objects.requireNonNull(colony, "colony");
            return this;
        }

        public Builder guard(Guard guard) {
            this.guard = Objects.requireNonNull(guard, "guard");
            return this;
        }

        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Serves HTTPS with this key and certificate. */
        public Builder tls(Tls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Allows a non-loopback bind without TLS (tokens then cross the network in clear text). */
        public Builder allowInsecureBind(boolean allow) {
            this.allowInsecureBind = allow;
            return this;
        }

        /** Adds a host name the Host header may carry (on a non-loopback bind, the default is any host). */
        public Builder allowHost(String host) {
            hosts.add(HostPolicy.hostName(Objects.requireNonNull(host, "host")));
            return this;
        }

        /** Adds an origin browsers may call from besides the same origin, such as {@code https://dash.example.com}. */
        public Builder allowOrigin(String origin) {
            origins.add(Objects.requireNonNull(origin, "origin").strip().toLowerCase(Locale.ROOT));
            return this;
        }

        /** The alerts {@code GET /v1/alerts} reports; none by default. */
        public Builder alerts(Alerts alerts) {
            this.alerts = Objects.requireNonNull(alerts, "alerts");
            return this;
        }

        /**
         * The plugin host {@code /v1/admin/plugins} deploys to; the caller keeps owning it. By default the
         * server makes its own (announcing on the colony's bus, figures in the colony's registry) and closes it.
         */
        public Builder plugins(PluginHost host) {
            this.plugins = Objects.requireNonNull(host, "plugins");
            return this;
        }

        /** How often a durable colony is checkpointed (when it changed); null for never. Default 1 minute. */
        public Builder checkpointEvery(Duration interval) {
            if (interval != null && (interval.isNegative() || interval.isZero())) {
                throw new IllegalArgumentException("checkpointEvery must be positive, got " + interval);
            }
            this.checkpointEvery = interval;
            return this;
        }

        /**
         * The file that keeps the dashboard's ten-minute time series across restarts (a fixed ring of 21,624
         * bytes, written once a second without fsync, read at start; ADR 0053). None by default: the series is
         * in memory and starts empty. {@code colony serve} puts it under {@code --data}.
         */
        public Builder dashboardHistory(Path file) {
            this.dashboardHistory = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Serves {@code /mcp} with the SDK's stateless transport (no MCP sessions, so any of several servers
         * behind a balancer can answer); for a server on Redis. Default false: sessions (ADR 0046).
         */
        public Builder statelessMcp(boolean stateless) {
            this.statelessMcp = stateless;
            return this;
        }

        /**
         * Serves an endpoint beside {@code /v1}, made from the routes called in process: {@code
         * McpEndpoint::create} for MCP at {@code /mcp} (ADR 0046). None by default.
         */
        public Builder endpoint(java.util.function.Function<LocalApi, ? extends Endpoint> factory) {
            this.endpoint = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The server, not yet started.
         *
         * @throws IllegalStateException if the colony or the guard is missing, or the bind is not loopback and
         *     there is neither TLS nor {@link #allowInsecureBind}
         */
        public ColonyServer build() {
            if (colony == null || guard == null) {
                throw new IllegalStateException("a server needs colony(...) and guard(...)");
            }
            if (tls == null && !allowInsecureBind && !isLoopback(bind)) {
                throw new IllegalStateException(
                        "refusing to bind " + bind + " without TLS: bearer tokens would cross the"
                                + " network in clear text (give a TLS certificate, or allow it explicitly)");
            }
            return new ColonyServer(this);
        }

        /** On a loopback bind, the loopback names plus any added; otherwise the added ones (none: any host). */
        HostPolicy hostPolicy() {
            Set<String> allowed = new HashSet<>(hosts);
            if (isLoopback(bind)) {
                allowed.addAll(HostPolicy.LOOPBACK_HOSTS);
            }
            return new HostPolicy(allowed, origins);
        }

        static boolean isLoopback(String address) {
            if (address.equalsIgnoreCase("localhost")) {
                return true;
            }
            try {
                return InetAddress.getByName(address).isLoopbackAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bind address \"" + address + "\" does not resolve", e);
            }
        }
    }
}
