package dev.colony.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import dev.colony.bus.EventBus;
import dev.colony.messaging.MessageCodec;
import dev.colony.metrics.MetricsRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Deploys WebAssembly plugins (ABI v0, docs/plugins.md) and hands out the bindings that run them inside
 * Colony's paths: {@link #filter} for ASYNC bus subscriptions, {@link #codec} for the messenger's bytes,
 * {@link #scorer} for task assignment.
 *
 * <p><b>Deploy.</b> {@link #deploy(String, byte[], String, DeployOptions)} checks the checksum, the module's
 * imports (only {@code colony.log} and {@code colony.now_ms}), its exports and memory, and the memory
 * budget; compiles the module (once per sha256 and mode, off the hot path); creates the pool's instances;
 * then swaps the plugin's current version atomically. Calls already running finish on the old version;
 * calls that start later run on the new one. The outcome is announced on
 * {@code colony.plugin.<name>.deployed} or {@code .failed} when a bus was given. Deploys are serialized;
 * calls never wait for a deploy.
 *
 * <p><b>Sandbox.</b> Every instance has memory limits, every call a deadline enforced by a watchdog
 * interrupt; an instance is recycled after a trap, a memory growth or {@link PluginLimits#recycleAfterCalls()}
 * calls. After {@link PluginLimits#quarantineAfter()} consecutive failures a version is quarantined (calls
 * fail at once, bindings apply their {@link FailurePolicy}) and {@code colony.alert.plugin.<name>} fires;
 * deploying again lifts it.
 *
 * <p>Thread-safe. {@link #close()} retires every pool, stops the watchdog and removes the host's metrics from
 * the registry (so a new host may register them); idempotent. Two open hosts cannot share one registry.
 */
public final class PluginHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.colony.wasm");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    private final Announcer announcer;
    private final PluginMetrics metrics;
    private final long budgetBytes;
    private final long cacheWarmup;
    private final Watchdog watchdog;
    private final InstantSource clock;
    private static final String COMPILES = "colony.plugin.compiles";
    private static final String TIMEOUTS = "colony.plugin.timeouts";
    private static final String QUARANTINES = "colony.plugin.quarantines";
    private static final String RESERVED_BYTES = "colony.plugin.reserved_bytes";

    private final MetricsRegistry registry;
    private final PayloadBytes payloads = new PayloadBytes();
    private final Map<String, AtomicReference<PluginVersion>> plugins = new ConcurrentHashMap<>();
    private final Map<String, CompiledPlugin> compiled = new HashMap<>(); // guarded by this
    private final LongAdder compiles = new LongAdder();
    private final LongAdder logLines = new LongAdder();
    private final LongAdder quarantines = new LongAdder();
    private boolean closed; // guarded by this

    private PluginHost(Builder builder) {
        this.clock = builder.clock;
        this.announcer = new Announcer(builder.bus, clock);
        this.metrics = new PluginMetrics(builder.metrics);
        this.budgetBytes = builder.budgetBytes;
        this.cacheWarmup = builder.cacheWarmup;
        this.watchdog = new Watchdog(builder.watchdogTick.toNanos());
        this.registry = builder.metrics;
        registry.counter(COMPILES, "modules compiled", compiles::sum);
        registry.counter(TIMEOUTS, "calls interrupted by the watchdog", watchdog::interrupts);
        registry.counter(QUARANTINES, "plugin versions quarantined", quarantines::sum);
        registry.gauge(RESERVED_BYTES, "memory reserved by deployed pools", this::reservedBytes);
    }

    /** A host with default settings: no bus, a private metrics registry, a 256 MiB plugin memory budget. */
    public static PluginHost create() {
        return builder().build();
    }

    /** A builder of a host. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What a module is (imports, exports, memory, checksum), without judging it.
     *
     * @throws DeployException ({@link DeployException.Reason#MALFORMED}) if the bytes are not a module
     */
    public static PluginInfo inspect(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return ModuleCheck.inspect(bytes, ModuleCheck.parse(bytes));
    }

    /**
     * Checks a module against ABI v0 and {@code limits} without deploying or running it.
     *
     * @throws DeployException naming what is wrong
     */
    public static PluginInfo validate(byte[] bytes, PluginLimits limits) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(limits, "limits");
        WasmModule module = ModuleCheck.parse(bytes);
        PluginInfo info = ModuleCheck.inspect(bytes, module);
        ModuleCheck.check(module, info, limits);
        return info;
    }

    /** {@link #deploy(String, byte[], String, DeployOptions)} with {@link DeployOptions#defaults()}. */
    public Deployment deploy(String name, byte[] bytes, String expectedSha256) {
        return deploy(name, bytes, expectedSha256, DeployOptions.defaults());
    }

    /**
     * Deploys {@code bytes} as plugin {@code name}, replacing its current version atomically.
     *
     * @param name the plugin's name: 1 to 48 characters of {@code [a-z0-9_]}, starting with a letter (it is a
     *     subject token and a metric name token)
     * @param expectedSha256 the lower- or upper-case hex sha256 the bytes must have, or null to skip the check
     * @throws DeployException when the module is refused; the previous version keeps running
     * @throws IllegalArgumentException if the name is invalid
     */
    public synchronized Deployment deploy(String name, byte[] bytes, String expectedSha256, DeployOptions options) {
        checkName(name);
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(options, "options");
        try {
            PluginVersion version = prepare(name, bytes, expectedSha256, options);
            AtomicReference<PluginVersion> slot = plugins.computeIfAbsent(name, n -> new AtomicReference<>());
            PluginVersion old = slot.getAndSet(version);
            if (old != null) {
                old.retire();
            }
            metrics.register(version);
            forgetUnusedModules();
            LOG.log(System.Logger.Level.INFO, "plugin " + name + " deployed as " + version.version());
            announcer.deployed(version.deployment);
            return version.deployment;
        } catch (DeployException e) {
            forgetUnusedModules();
            LOG.log(System.Logger.Level.WARNING, "plugin " + name + " refused: " + e.getMessage());
            announcer.failed(new DeployFailure(name, e.reason(), e.getMessage()));
            throw e;
        }
    }

    private PluginVersion prepare(String name, byte[] bytes, String expectedSha256, DeployOptions options) {
        if (closed) {
            throw new DeployException(DeployException.Reason.CLOSED, "the plugin host is closed");
        }
        String sha = ModuleCheck.sha256(bytes);
        if (expectedSha256 != null && !sha.equalsIgnoreCase(expectedSha256.strip())) {
            throw new DeployException(
                    DeployException.Reason.CHECKSUM,
                    "the module's sha256 is " + sha + ", the deploy expected '" + expectedSha256 + "'");
        }
        CompiledPlugin module = compile(bytes, sha, name, options);
        long compileNanos = module.compileNanos();
        Instantiation instances = new Instantiation(module, options, HostImports.of(name, logLines), watchdog);
        InstancePool pool = new InstancePool(options.limits().poolSize(), instances, watchdog);
        try {
            pool.prewarm();
        } catch (RuntimeException e) {
            pool.retire();
            throw e;
        }
        PluginInstance probe = borrowProbe(pool);
        boolean subjectOnly = (probe.flags & 1) != 0;
        boolean deterministic = (probe.flags & 2) != 0;
        pool.release(probe, false);
        Deployment deployment =
                new Deployment(name, module.info(), options, subjectOnly, deterministic, compileNanos, clock.instant());
        DecisionCache cache = deployment.cacheable() && options.decisionCacheCapacity() > 0
                ? new DecisionCache(
                        options.decisionCacheCapacity(),
                        cacheWarmup,
                        rate -> announcer.lowHitRate(name, module.info().version(), rate))
                : null;
        return new PluginVersion(deployment, pool, cache, this::quarantined);
    }

    private void quarantined(PluginVersion version) {
        quarantines.increment(); // the announcer logs the alert
        announcer.quarantined(version);
    }

    /** Plugin versions quarantined so far. */
    public long quarantines() {
        return quarantines.sum();
    }

    private static PluginInstance borrowProbe(InstancePool pool) {
        try {
            return pool.borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(DeployException.Reason.INSTANTIATE, "interrupted while deploying");
        }
    }

    /** Parses and checks the module (or reuses the known one), checks the budget, then compiles if needed. */
    private CompiledPlugin compile(byte[] bytes, String sha, String name, DeployOptions options) {
        String key = sha + "/" + options.mode();
        CompiledPlugin known = compiled.get(key);
        WasmModule module = known == null ? ModuleCheck.parse(bytes) : known.module();
        PluginInfo info = known == null ? ModuleCheck.inspect(bytes, module) : known.info();
        ModuleCheck.check(module, info, options.limits());
        checkBudget(name, options.limits());
        if (known != null) {
            return new CompiledPlugin(module, info, known.machines(), 0);
        }
        CompiledPlugin fresh = CompiledPlugin.of(module, info, options.mode());
        if (options.mode() == ExecutionMode.COMPILED) {
            compiles.increment();
        }
        compiled.put(key, fresh);
        return fresh;
    }

    private void checkBudget(String name, PluginLimits limits) {
        long others = 0;
        for (var entry : plugins.entrySet()) {
            PluginVersion version = entry.getValue().get();
            if (version != null && !entry.getKey().equals(name)) {
                others += version.deployment.options().limits().reservedBytes();
            }
        }
        if (others + limits.reservedBytes() > budgetBytes) {
            throw new DeployException(
                    DeployException.Reason.BUDGET,
                    "the plugin would reserve " + limits.reservedBytes() + " bytes (" + limits.poolSize()
                            + " instances x " + limits.maxMemoryPages() + " pages of 64 KiB); with the " + others
                            + " bytes other plugins reserve that is over the budget of " + budgetBytes + " bytes");
        }
    }

    /** Drops compiled modules no deployed version uses any more. */
    private void forgetUnusedModules() {
        compiled.keySet()
                .removeIf(key -> plugins.values().stream()
                        .map(AtomicReference::get)
                        .filter(Objects::nonNull)
                        .noneMatch(v -> key.equals(v.deployment.info().sha256() + "/"
                                + v.deployment.options().mode())));
    }

    /** Removes plugin {@code name}; bindings then fail their calls per their policy. False if it was not deployed. */
    public synchronized boolean undeploy(String name) {
        AtomicReference<PluginVersion> slot = plugins.get(name);
        PluginVersion old = slot == null ? null : slot.getAndSet(null);
        if (old == null) {
            return false;
        }
        old.retire();
        forgetUnusedModules();
        return true;
    }

    /** The names of the plugins deployed now, sorted. */
    public List<String> names() {
        return plugins.entrySet().stream()
                .filter(e -> e.getValue().get() != null)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** The current deployment of {@code name}, if any. */
    public Optional<Deployment> deployment(String name) {
        return current(name).map(v -> v.deployment);
    }

    /** The counters of the current version of {@code name}, if deployed. */
    public Optional<PluginStats> stats(String name) {
        return current(name).map(PluginVersion::stats);
    }

    private Optional<PluginVersion> current(String name) {
        AtomicReference<PluginVersion> slot = plugins.get(name);
        return Optional.ofNullable(slot == null ? null : slot.get());
    }

    /** The slot a binding reads the current version of {@code name} from, created if needed. */
    AtomicReference<PluginVersion> slot(String name) {
        checkName(name);
        return plugins.computeIfAbsent(name, n -> new AtomicReference<>());
    }

    PayloadBytes payloads() {
        return payloads;
    }

    /**
     * A filter for ASYNC subscriptions that runs plugin {@code name} (see {@link SubscriptionFilter}).
     *
     * @param useDecisionCache serve repeated subjects from the decision cache when the plugin declares
     *     itself subject-only and deterministic (ignored otherwise)
     */
    public SubscriptionFilter filter(String name, FailurePolicy policy, boolean useDecisionCache) {
        return new SubscriptionFilter(this, name, Objects.requireNonNull(policy, "policy"), useDecisionCache);
    }

    /** {@link #filter(String, FailurePolicy, boolean)} without the decision cache. */
    public SubscriptionFilter filter(String name, FailurePolicy policy) {
        return filter(name, policy, false);
    }

    /** A codec that runs plugin {@code name} on {@code delegate}'s bytes (see {@link PluginCodec}). */
    public PluginCodec codec(MessageCodec delegate, String name, FailurePolicy policy, PluginCodec.Side side) {
        return new PluginCodec(this, delegate, name, policy, side);
    }

    /** A scorer of task candidates that runs plugin {@code name} (see {@link PluginScorer}). */
    public PluginScorer scorer(String name, FailurePolicy policy) {
        return new PluginScorer(this, name, Objects.requireNonNull(policy, "policy"));
    }

    /** Modules compiled so far (the compiled-module cache's misses; a redeploy of known bytes compiles nothing). */
    public long compiles() {
        return compiles.sum();
    }

    /** Lines plugins logged through {@code colony.log}. */
    public long logLines() {
        return logLines.sum();
    }

    /** The memory the deployed pools reserve against the budget, in bytes. */
    public long reservedBytes() {
        long total = 0;
        for (AtomicReference<PluginVersion> slot : plugins.values()) {
            PluginVersion version = slot.get();
            if (version != null) {
                total += version.deployment.options().limits().reservedBytes();
            }
        }
        return total;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AtomicReference<PluginVersion> slot : plugins.values()) {
            PluginVersion version = slot.getAndSet(null);
            if (version != null) {
                version.retire();
            }
        }
        watchdog.close();
        for (String name : List.of(COMPILES, TIMEOUTS, QUARANTINES, RESERVED_BYTES)) {
            registry.remove(name);
        }
        metrics.unregister();
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("plugin name must be 1 to 48 characters of [a-z0-9_] starting with a"
                    + " letter (it is a subject and a metric token), got '" + name + "'");
        }
    }

    /** Settings of a plugin host; each setter validates its argument at once. */
    public static final class Builder {
        private EventBus bus;
        private MetricsRegistry metrics = MetricsRegistry.create();
        private long budgetBytes = 256L << 20;
        private Duration watchdogTick = Duration.ofNanos(500_000);
        private long cacheWarmup = 10_000;
        private InstantSource clock = InstantSource.system();

        private Builder() {}

        /** Where deploys and alerts are announced (default: nowhere). */
        public Builder bus(EventBus target) {
            this.bus = Objects.requireNonNull(target, "bus");
            return this;
        }

        /** Where the plugins' figures are registered (default: a private registry). */
        public Builder metrics(MetricsRegistry registry) {
            this.metrics = Objects.requireNonNull(registry, "metrics");
            return this;
        }

        /**
         * The most memory all deployed pools may reserve (pool size × max pages × 64 KiB, summed), default
         * 256 MiB; a deploy over it is refused.
         */
        public Builder memoryBudgetBytes(long bytes) {
            if (bytes < PluginLimits.PAGE_BYTES) {
                throw new IllegalArgumentException("memoryBudgetBytes must be at least one page (65536), got " + bytes);
            }
            this.budgetBytes = bytes;
            return this;
        }

        /**
         * How often the watchdog looks for calls past their deadline (default 500 µs, between 50 µs and 100
         * ms). A shorter tick stops runaway calls sooner and wakes a platform thread more often.
         */
        public Builder watchdogTick(Duration tick) {
            Objects.requireNonNull(tick, "watchdogTick");
            if (tick.toNanos() < 50_000 || tick.toMillis() > 100) {
                throw new IllegalArgumentException("watchdogTick must be between 50 µs and 100 ms, got " + tick);
            }
            this.watchdogTick = tick;
            return this;
        }

        /** Lookups before the decision cache's hit rate is judged (default 10,000). */
        public Builder cacheWarmup(long lookups) {
            if (lookups < 0) {
                throw new IllegalArgumentException("cacheWarmup must be 0 or more, got " + lookups);
            }
            this.cacheWarmup = lookups;
            return this;
        }

        /** The clock of deployment and alert times (default: the system clock). */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        public PluginHost build() {
            return new PluginHost(this);
        }
    }
}
