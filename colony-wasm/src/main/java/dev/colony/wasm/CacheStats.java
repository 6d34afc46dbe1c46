package dev.colony.wasm;

/**
 * The decision cache of one plugin version: only for filters that declare themselves deterministic on
 * the subject alone, only for bindings that opt in.
 *
 * @param hits lookups answered from the cache
 * @param misses lookups that called the plugin
 * @param keys distinct subjects held now
 * @param evictions subjects dropped to stay within the capacity
 */
public record CacheStats(long hits, long misses, long keys, long evictions) {
    /** A cache that was never used. */
    public static final CacheStats NONE = new CacheStats(0, 0, 0, 0);

    /** Hits over lookups, 0 when there was no lookup. */
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 0 : (double) hits / lookups;
    }
}
