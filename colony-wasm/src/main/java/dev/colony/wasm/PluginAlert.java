package dev.colony.wasm;

import java.time.Instant;
import java.util.Objects;

/**
 * A plugin alert, published on {@code colony.alert.plugin.<name>}.
 *
 * @param plugin the plugin's name
 * @param version its version label
 * @param kind what happened
 * @param detail a readable explanation with the figures
 * @param at when
 */
public record PluginAlert(String plugin, String version, Kind kind, String detail, Instant at) {
    /** What an alert is about. */
    public enum Kind {
        /** The plugin failed {@link PluginLimits#quarantineAfter()} calls in a row and is quarantined. */
        QUARANTINED,
        /** The decision cache's hit rate fell below 80% after its warm-up. */
        CACHE_HIT_RATE_LOW
    }

    public PluginAlert {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
