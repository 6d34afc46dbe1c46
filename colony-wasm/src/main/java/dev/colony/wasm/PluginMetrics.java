package dev.colony.wasm;

import dev.colony.metrics.LatencySnapshot;
import dev.colony.metrics.MetricsRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * Registers the figures of each plugin version in the colony's {@link MetricsRegistry}, under
 * {@code colony.plugin.<name>.<version>.<figure>} (listed in docs/plugins.md).
 *
 * <p>A registry name is registered once, so the readers of a (name, version) pair go through a reference
 * that a redeploy of the same bytes under the same name repoints at the new {@link PluginVersion}; a
 * retired version's figures stay readable under their own names. A registry grows by about 25 names per
 * distinct version deployed.
 */
final class PluginMetrics {
    private final MetricsRegistry registry;
    private final Map<String, AtomicReference<PluginVersion>> versions = new ConcurrentHashMap<>();
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    PluginMetrics(MetricsRegistry registry) {
        this.registry = registry;
    }

    void register(PluginVersion version) {
        String prefix = "colony.plugin." + version.name + "." + version.version() + ".";
        AtomicReference<PluginVersion> ref = versions.get(prefix);
        if (ref != null) {
            ref.set(version);
            return;
        }
        AtomicReference<PluginVersion> fresh = new AtomicReference<>(version);
        versions.put(prefix, fresh);
        count(prefix + "calls", "calls made to the module", fresh, v -> v.calls.sum());
        count(prefix + "accepted", "calls that accepted (or passed the bytes on)", fresh, v -> v.accepted.sum());
        count(prefix + "rejected", "calls that rejected", fresh, v -> v.rejected.sum());
        count(prefix + "replaced", "transform calls that replaced the bytes", fresh, v -> v.replaced.sum());
        count(prefix + "bytes_in", "bytes written into instances", fresh, v -> v.bytesIn.sum());
        count(prefix + "bytes_out", "bytes read out of instances", fresh, v -> v.bytesOut.sum());
        for (CallError kind : CallError.values()) {
            String key = kind.name().toLowerCase(Locale.ROOT);
            count(
                    prefix + "errors." + key,
                    "failed calls: " + key,
                    fresh,
                    v -> v.stats().errors(kind));
        }
        registry.latency(prefix + "latency", "plugin call latency", () -> latency(fresh));
        names.add(prefix + "latency");
        gauge(prefix + "instances.idle", "idle instances", fresh, v -> v.pool.idle());
        gauge(prefix + "instances.live", "live instances", fresh, v -> v.pool.live());
        count(prefix + "instances.created", "instances created", fresh, v -> v.pool.created());
        count(prefix + "pool_waits", "calls that waited for an instance", fresh, v -> v.pool.waits());
        gauge(prefix + "memory_pages", "64 KiB pages held by live instances", fresh, v -> v.pool.memoryPages());
        gauge(prefix + "compile_nanos", "time spent compiling", fresh, v -> v.deployment.compileNanos());
        gauge(prefix + "quarantined", "1 while quarantined", fresh, v -> v.quarantined() ? 1 : 0);
        if (version.cache != null) {
            count(
                    prefix + "cache.hits",
                    "decision cache hits",
                    fresh,
                    v -> v.cache.stats().hits());
            count(
                    prefix + "cache.misses",
                    "decision cache misses",
                    fresh,
                    v -> v.cache.stats().misses());
            count(
                    prefix + "cache.evictions",
                    "decision cache evictions",
                    fresh,
                    v -> v.cache.stats().evictions());
            gauge(
                    prefix + "cache.keys",
                    "subjects in the decision cache",
                    fresh,
                    v -> v.cache.stats().keys());
            registry.gauge(
                    prefix + "cache.hit_rate",
                    "decision cache hit rate",
                    () -> fresh.get().cache.stats().hitRate());
            names.add(prefix + "cache.hit_rate");
        }
    }

    private static LatencySnapshot latency(AtomicReference<PluginVersion> ref) {
        return ref.get().latency.snapshot();
    }

    private void count(
            String name, String description, AtomicReference<PluginVersion> ref, ToLongFunction<PluginVersion> f) {
        registry.counter(name, description, () -> f.applyAsLong(ref.get()));
        names.add(name);
    }

    private void gauge(
            String name, String description, AtomicReference<PluginVersion> ref, ToLongFunction<PluginVersion> f) {
        registry.gauge(name, description, () -> f.applyAsLong(ref.get()));
        names.add(name);
    }

    /** Removes every name registered here (the host is closing), so that a new host may register them. */
    void unregister() {
        names.forEach(registry::remove);
        names.clear();
        versions.clear();
    }
}
