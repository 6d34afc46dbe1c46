package dev.colony.wasm;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a module is, read without running it: what {@code colony plugin inspect} prints and what a deploy
 * checks.
 *
 * @param sha256 the module's checksum, lower-case hex: its version
 * @param sizeBytes the module's length
 * @param imports every import, as {@code module.name (kind)}
 * @param exports every export, as {@code name (kind)}
 * @param kinds the ABI v0 entry points it exports
 * @param initialPages its memory's initial size in 64 KiB pages
 * @param declaredMaxPages its memory's declared maximum, or -1 when it declares none
 */
public record PluginInfo(
        String sha256,
        long sizeBytes,
        List<String> imports,
        List<String> exports,
        Set<PluginKind> kinds,
        int initialPages,
        int declaredMaxPages) {
    public PluginInfo {
        Objects.requireNonNull(sha256, "sha256");
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
        kinds = Set.copyOf(kinds);
    }

    /** The short version label used in metric names: {@code v} and the first 8 hex digits. */
    public String version() {
        return "v" + sha256.substring(0, 8);
    }
}
