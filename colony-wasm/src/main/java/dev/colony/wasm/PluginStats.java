package dev.colony.wasm;

import dev.colony.metrics.LatencySnapshot;
import java.util.Map;
import java.util.Objects;

/**
 * The counters of one deployed plugin version, read at one moment (each counter is exact; together they
 * are not one atomic cut).
 *
 * @param plugin the plugin's name
 * @param version the version label ({@code v} + 8 hex digits of the sha256)
 * @param calls calls made to the module, retries included, failed ones included
 * @param accepted filter calls that accepted, transform calls that passed the bytes unchanged or replaced
 * @param rejected filter calls that rejected, transform calls that rejected
 * @param replaced transform calls that replaced the bytes
 * @param errors failed calls by kind
 * @param latency call latency in nanoseconds (borrowing an instance included)
 * @param bytesIn bytes written into instances
 * @param bytesOut bytes read back out of instances
 * @param instancesIdle instances waiting in the pool now
 * @param instancesLive instances that exist now
 * @param instancesCreated instances created since the deploy (recycling creates new ones)
 * @param poolWaits calls that found every instance busy and waited
 * @param memoryPages the 64 KiB pages held by the live instances now
 * @param compileNanos how long compiling this version took
 * @param quarantined whether the version is quarantined now
 * @param cache the decision cache's figures ({@link CacheStats#NONE} when there is none)
 */
public record PluginStats(
        String plugin,
        String version,
        long calls,
        long accepted,
        long rejected,
        long replaced,
        Map<CallError, Long> errors,
        LatencySnapshot latency,
        long bytesIn,
        long bytesOut,
        int instancesIdle,
        int instancesLive,
        long instancesCreated,
        long poolWaits,
        long memoryPages,
        long compileNanos,
        boolean quarantined,
        CacheStats cache) {
    public PluginStats {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(version, "version");
        errors = Map.copyOf(errors);
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(cache, "cache");
    }

    /** Failed calls of every kind. */
    public long failed() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Failed calls of one kind. */
    public long errors(CallError kind) {
        return errors.getOrDefault(kind, 0L);
    }
}
