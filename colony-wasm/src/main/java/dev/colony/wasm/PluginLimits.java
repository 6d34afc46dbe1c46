package dev.colony.wasm;

import java.time.Duration;
import java.util.Objects;

/**
 * The sandbox of one deployed plugin: what every instance may use and how many instances there are.
 *
 * @param maxMemoryPages the most 64 KiB pages an instance's memory may grow to (1 to 65,536); a module
 *     whose initial memory is larger is refused at deploy, and growth past it fails inside the module
 *     ({@code memory.grow} returns -1), never in the JVM heap
 * @param deadline the longest one call may run before the watchdog interrupts it (1 µs to 1 min); the call
 *     stops within the deadline plus the watchdog's tick plus Chicory's interrupt latency (about 0.3-2 ms)
 * @param poolSize the most instances of the plugin, which is the most calls that run at once (1 to 1,024);
 *     a caller that finds them all busy waits, counted in {@link PluginStats#poolWaits()}
 * @param recycleAfterCalls an instance is replaced after this many calls (at least 1), so state a module
 *     keeps between calls cannot accumulate without bound
 * @param quarantineAfter consecutive failed calls after which the plugin is quarantined (at least 1)
 */
public record PluginLimits(
        int maxMemoryPages, Duration deadline, int poolSize, long recycleAfterCalls, int quarantineAfter) {
    /** The size of a WebAssembly memory page. */
    public static final int PAGE_BYTES = 65_536;
    /** The largest memory a 32-bit module can address, in pages (4 GiB). */
    public static final int MAX_PAGES = 65_536;
    /** The most instances in one pool. */
    public static final int MAX_POOL_SIZE = 1024;

    private static final Duration MAX_DEADLINE = Duration.ofMinutes(1);
    private static final Duration MIN_DEADLINE = Duration.ofNanos(1000);

    public PluginLimits {
        if (maxMemoryPages < 1 || maxMemoryPages > MAX_PAGES) {
            throw new IllegalArgumentException(
                    "maxMemoryPages must be between 1 and " + MAX_PAGES + ", got " + maxMemoryPages);
        }
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.compareTo(MIN_DEADLINE) < 0 || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("deadline must be between 1 µs and 1 min, got " + deadline);
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("poolSize must be between 1 and " + MAX_POOL_SIZE + ", got " + poolSize);
        }
        if (recycleAfterCalls < 1) {
            throw new IllegalArgumentException("recycleAfterCalls must be at least 1, got " + recycleAfterCalls);
        }
        if (quarantineAfter < 1) {
            throw new IllegalArgumentException("quarantineAfter must be at least 1, got " + quarantineAfter);
        }
    }

    /** Filters and transformers: 16 pages (1 MiB), 1 ms, 4 instances, recycled every 100,000 calls, quarantine after 10. */
    public static PluginLimits filter() {
        return new PluginLimits(16, Duration.ofMillis(1), 4, 100_000, 10);
    }

    /** Scorers: 16 pages (1 MiB), 10 ms, 2 instances, recycled every 100,000 calls, quarantine after 10. */
    public static PluginLimits scorer() {
        return new PluginLimits(16, Duration.ofMillis(10), 2, 100_000, 10);
    }

    public PluginLimits withMaxMemoryPages(int pages) {
        return new PluginLimits(pages, deadline, poolSize, recycleAfterCalls, quarantineAfter);
    }

    public PluginLimits withDeadline(Duration newDeadline) {
        return new PluginLimits(maxMemoryPages, newDeadline, poolSize, recycleAfterCalls, quarantineAfter);
    }

    public PluginLimits withPoolSize(int size) {
        return new PluginLimits(maxMemoryPages, deadline, size, recycleAfterCalls, quarantineAfter);
    }

    public PluginLimits withRecycleAfterCalls(long calls) {
        return new PluginLimits(maxMemoryPages, deadline, poolSize, calls, quarantineAfter);
    }

    public PluginLimits withQuarantineAfter(int failures) {
        return new PluginLimits(maxMemoryPages, deadline, poolSize, recycleAfterCalls, failures);
    }

    /** The memory these limits reserve against the host's budget: pool size × max pages × 64 KiB. */
    public long reservedBytes() {
        return (long) poolSize * maxMemoryPages * PAGE_BYTES;
    }
}
