package dev.colony.wasm;

import java.time.Instant;
import java.util.Objects;

/**
 * A deployed plugin version, as announced on {@code colony.plugin.<name>.deployed}.
 *
 * @param name the plugin's name
 * @param info the module
 * @param options how it was deployed
 * @param subjectOnly the filter reads the subject only (flag bit 0 of {@code colony_flags}): the payload is
 *     not encoded for it
 * @param deterministic its decision depends on the subject alone (flag bit 1): the decision cache may serve it
 * @param compileNanos how long compiling the module took, 0 when it was already compiled or is interpreted
 * @param at when it was deployed
 */
public record Deployment(
        String name,
        PluginInfo info,
        DeployOptions options,
        boolean subjectOnly,
        boolean deterministic,
        long compileNanos,
        Instant at) {
    public Deployment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(at, "at");
    }

    /** Whether bindings that opt in may cache this plugin's decisions by subject. */
    public boolean cacheable() {
        return subjectOnly && deterministic;
    }
}
