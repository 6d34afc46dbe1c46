package dev.colony;

import dev.colony.agent.AgentHandle;
import dev.colony.agent.AgentSpec;
import dev.colony.agent.Behavior;
import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.metrics.MetricsRegistry;
import dev.colony.spi.BackendSettings;
import dev.colony.spi.ColonyBackend;
import dev.colony.state.AgentRegistry;
import dev.colony.state.CoordinationState;
import dev.colony.state.Durability;
import dev.colony.state.LeaderElection;
import dev.colony.state.SharedMemory;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * The entry point: one colony of agents with its event bus, its messenger and its coordination state
 * (registry, task queue, leader election, shared memory; announced on the bus), and the agents it runs.
 *
 * <p>{@link #embedded()} runs everything in this JVM; {@link #builder()} takes settings for each part, and
 * {@link Builder#redis(String)} puts the bus, the messenger and the state in Redis, shared by every process
 * of the swarm, behind the same interfaces. A
 * colony owns the threads and resources of its parts; {@link #close()} stops its agents, then releases
 * them all, and is idempotent.
 */
public interface Colony extends AutoCloseable {

    /** A colony in this JVM with default settings. */
    static Colony embedded() {
        return builder().build();
    }

    /** The version of Colony in use, such as {@code 0.1.0}, from the build; {@code unknown} if it was not stamped. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Colony.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    /** Settings for a colony in this JVM. */
    static Builder builder() {
        return new Builder();
    }

    /** The event bus. */
    EventBus bus();

    /** The messenger agents talk through. */
    Messenger messenger();

    /** The coordination state, announced on {@link #bus()} under {@code colony.>}. */
    CoordinationState state();

    /** The agent registry of {@link #state()}. */
    default AgentRegistry registry() {
        return state().registry();
    }

    /** The task queue of {@link #state()}. */
    default TaskQueue tasks() {
        return state().tasks();
    }

    /** The leader election of {@link #state()}. */
    default LeaderElection leaders() {
        return state().leaders();
    }

    /** The shared memory of {@link #state()}. */
    default SharedMemory memory() {
        return state().memory();
    }

    /**
     * The colony's metrics: its parts' counters, gauges and latencies (named {@code colony.<part>.<what>},
     * listed in docs/metrics.md), and any the application registers. Feed it to
     * {@link dev.colony.alert.Alerts}, {@link dev.colony.metrics.PrometheusText} or
     * {@link dev.colony.metrics.MicrometerBinder}.
     */
    MetricsRegistry metrics();

    /**
     * Spawns an agent: registers it, opens its inbox, runs {@code behavior} on it, heartbeats and
     * supervises it; returns at once. See {@link dev.colony.agent.Agents#spawn}.
     *
     * @throws IllegalStateException if an agent with this id is live, or the colony is closed
     */
    AgentHandle spawn(AgentSpec spec, Behavior behavior);

    /** The agents spawned here that have not terminated. */
    List<AgentHandle> agents();

    /**
     * Stops every agent (gracefully, then by interrupting those that do not finish within
     * {@link AgentHandle#DEFAULT_STOP_TIMEOUT}), then closes the state, the messenger and the bus.
     */
    @Override
    void close();

    /** Settings of a colony, one builder per part, and where it lives (this JVM unless connected). */
    final class Builder {
        private EventBus.Builder bus = EventBus.builder();
        private Messenger.Builder messenger = Messenger.builder();
        private StateOptions state = StateOptions.defaults();
        private Durability durability;
        private String remote;
        private String swarm = BackendSettings.DEFAULT_SWARM;
        private final Map<String, String> backendOptions = new LinkedHashMap<>();

        Builder() {}

        /** The event bus's settings. */
        public Builder bus(EventBus.Builder settings) {
            this.bus = Objects.requireNonNull(settings, "bus settings");
            return this;
        }

        /** The messenger's settings. */
        public Builder messenger(Messenger.Builder settings) {
            this.messenger = Objects.requireNonNull(settings, "messenger settings");
            return this;
        }

        /** The coordination state's settings. */
        public Builder state(StateOptions options) {
            this.state = Objects.requireNonNull(options, "state options");
            return this;
        }

        /**
         * Makes the coordination state durable: recovered from {@code durability}'s directory (latest good
         * snapshot plus journal) when the colony is built, and every change journaled before it is
         * acknowledged (ADR 0010). Without it the state lives in memory only.
         */
        public Builder durability(Durability settings) {
            this.durability = Objects.requireNonNull(settings, "durability");
            return this;
        }

        /**
         * Puts the colony in Redis: {@code redis://[[user]:password@]host[:port][/database][?timeout=5s]},
         * {@code rediss://} for TLS, {@code redis-sentinel://host:26379[,host2:26379]/database#master} for
         * Sentinel (the Lettuce client's URI syntax). The swarm is named by {@link #swarm(String)}, not by the
         * URI. Every process built with the same server and swarm joins the same swarm. Needs the
         * {@code colony-redis} module on the class path.
         *
         * @throws IllegalArgumentException if {@code uri} is not a {@code redis://}, {@code rediss://} or
         *     {@code redis-sentinel://} URI
         */
        public Builder redis(String uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.strip().toLowerCase(Locale.ROOT);
            if (!scheme.startsWith("redis://")
                    && !scheme.startsWith("rediss://")
                    && !scheme.startsWith("redis-sentinel://")) {
                throw new IllegalArgumentException(
                        "a Redis URI starts with redis://, rediss:// or redis-sentinel://, got '" + masked(uri) + "'");
            }
            return connect(uri);
        }

        /**
         * The swarm to join inside the backend of {@link #connect} (default {@code colony}): processes that name
         * the same backend and swarm share one colony; different swarms on one server never see each other.
         *
         * @throws IllegalArgumentException unless {@code name} is 1 to 64 of {@code [A-Za-z0-9_-]}
         */
        public Builder swarm(String name) {
            this.swarm = BackendSettings.checkSwarm(name);
            return this;
        }

        /**
         * One of the backend's own settings (for Redis: {@code commandTimeout}, {@code publishBuffer},
         * {@code nodeTtl}, {@code tlsCaFile}, ...; see docs/redis-protocol.md); the backend refuses, when the
         * colony is built, a name it does not know or a value it cannot use.
         */
        public Builder backendOption(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a backend option needs a name, got '" + name + "'");
            }
            backendOptions.put(name, value);
            return this;
        }

        /**
         * Puts the colony's bus, messenger and state in the backend that serves {@code uri}'s scheme (a
         * {@link ColonyBackend} on the class path); the agents still run in this JVM.
         *
         * @throws IllegalArgumentException if {@code uri} has no scheme
         */
        public Builder connect(String uri) {
            Objects.requireNonNull(uri, "uri");
            scheme(uri);
            this.remote = uri.strip();
            return this;
        }

        /**
         * A colony with these settings: in this JVM, or connected to the backend of {@link #connect}.
         *
         * @throws IllegalStateException if connected and made durable (a backend keeps its own data), or if no
         *     backend serves the URI's scheme
         */
        public Colony build() {
            if (remote != null) {
                if (durability != null) {
                    throw new IllegalStateException("durability(...) is for a colony in this JVM; " + "a colony in "
                            + scheme(remote) + " keeps its data there (for Redis: its AOF)");
                }
                ColonyBackend.Parts parts = backend(scheme(remote))
                        .open(
                                remote,
                                new BackendSettings(
                                        bus.settings(), messenger.settings(), state, swarm, backendOptions));
                return new EmbeddedColony(parts.bus(), parts.messenger(), parts.state(), parts.resources());
            }
            EventBus builtBus = bus.build();
            CoordinationState builtState = durability == null
                    ? CoordinationState.create(builtBus, state)
                    : CoordinationState.open(builtBus, state, durability);
            return new EmbeddedColony(builtBus, messenger.build(), builtState, () -> {});
        }

        /**
         * Deletes every piece of data of this builder's {@link #swarm(String) swarm} in the backend of
         * {@link #connect}, without joining it; refused while nodes of the swarm are alive unless {@code force}.
         *
         * @return how many stored items (for Redis: keys) were deleted
         * @throws IllegalStateException if no backend is named, it cannot be reached, or nodes are alive
         * @throws UnsupportedOperationException if the backend cannot drop a swarm
         */
        public long drop(boolean force) {
            if (remote == null) {
                throw new IllegalStateException("drop(...) needs a backend: call redis(uri) or connect(uri) first");
            }
            return backend(scheme(remote))
                    .drop(
                            remote,
                            new BackendSettings(bus.settings(), messenger.settings(), state, swarm, backendOptions),
                            force);
        }

        private static String scheme(String uri) {
            String scheme;
            try {
                scheme = URI.create(uri.strip()).getScheme();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a URI: '" + masked(uri) + "'", e);
            }
            if (scheme == null) {
                throw new IllegalArgumentException(
                        "a colony URI needs a scheme such as redis://, got '" + masked(uri) + "'");
            }
            return scheme.toLowerCase(Locale.ROOT);
        }

        /** {@code uri} with everything between {@code ://} and the last {@code @} masked: never print a password. */
        private static String masked(String uri) {
            int start = uri.indexOf("://");
            int at = uri.lastIndexOf('@');
            return start < 0 || at < start ? uri : uri.substring(0, start + 3) + "****" + uri.substring(at);
        }

        private static ColonyBackend backend(String scheme) {
            for (ColonyBackend backend : ServiceLoader.load(ColonyBackend.class)) {
                if (backend.scheme().equalsIgnoreCase(scheme)
                        || backend.schemes().contains(scheme)) {
                    return backend;
                }
            }
            throw new IllegalStateException("no Colony backend for " + scheme + ":// URIs on the class path"
                    + (scheme.startsWith("redis") ? ": add the dev.colony:colony-redis module" : ""));
        }
    }
}
