package dev.colony.wasm;

import java.util.Objects;

/**
 * How a plugin is deployed: its sandbox, how its code runs, and the configuration its instances get.
 *
 * @param limits the sandbox of every instance
 * @param mode compiled (default) or interpreted
 * @param config the text given to {@code colony_configure} once per instance (usually JSON; empty for none)
 * @param decisionCacheCapacity the most subjects the decision cache of a subject-deterministic filter
 *     keeps (0 turns the cache off; it is used only by bindings that opt in)
 */
public record DeployOptions(PluginLimits limits, ExecutionMode mode, String config, int decisionCacheCapacity) {
    /** The default decision cache capacity. */
    public static final int DEFAULT_CACHE_CAPACITY = 10_000;

    public DeployOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(config, "config");
        if (decisionCacheCapacity < 0) {
            throw new IllegalArgumentException("decisionCacheCapacity must be 0 or more, got " + decisionCacheCapacity);
        }
    }

    /** Filter limits, compiled, no configuration, a decision cache of {@value #DEFAULT_CACHE_CAPACITY} subjects. */
    public static DeployOptions defaults() {
        return new DeployOptions(PluginLimits.filter(), ExecutionMode.COMPILED, "", DEFAULT_CACHE_CAPACITY);
    }

    public DeployOptions withLimits(PluginLimits newLimits) {
        return new DeployOptions(newLimits, mode, config, decisionCacheCapacity);
    }

    public DeployOptions withMode(ExecutionMode newMode) {
        return new DeployOptions(limits, newMode, config, decisionCacheCapacity);
    }

    public DeployOptions withConfig(String newConfig) {
        return new DeployOptions(limits, mode, newConfig, decisionCacheCapacity);
    }

    public DeployOptions withDecisionCacheCapacity(int capacity) {
        return new DeployOptions(limits, mode, config, capacity);
    }
}
