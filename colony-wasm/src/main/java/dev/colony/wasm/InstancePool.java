package dev.colony.wasm;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The bounded pool of one plugin version's instances, shared by every binding of the plugin.
 *
 * <p>At most {@code size} instances exist at once ({@code live}); idle ones wait in a bounded queue. A
 * borrower takes an idle instance, or creates one while fewer than {@code size} exist, or waits for a
 * release (counted in {@link #waits()}). A released instance that trapped, grew its memory or reached its
 * call limit is discarded and the next borrower creates a fresh one.
 *
 * <p><b>Retirement.</b> A hot swap retires the old pool: idle instances are discarded at once, instances in
 * use are discarded when their calls end (in-flight calls finish on the old version), and a borrower
 * waiting on a retired pool gets {@code null} within {@value #WAIT_SLICE_MILLIS} ms and moves to the new
 * version. Thread-safe.
 */
final class InstancePool {
    static final long WAIT_SLICE_MILLIS = 10;

    private final int size;
    private final Supplier<PluginInstance> factory;
    private final Watchdog watchdog;
    private final ArrayBlockingQueue<PluginInstance> idle;
    private final Set<PluginInstance> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger live = new AtomicInteger();
    private final LongAdder waits = new LongAdder();
    private final LongAdder created = new LongAdder();
    private volatile boolean retired;

    InstancePool(int size, Supplier<PluginInstance> factory, Watchdog watchdog) {
        this.size = size;
        this.factory = factory;
        this.watchdog = watchdog;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /** Creates every instance now, so that the first calls do not pay for instantiation. */
    void prewarm() {
        while (live.get() < size) {
            live.incrementAndGet();
            idle.add(create());
        }
    }

    /**
     * An instance for one call, or null when the pool was retired (the caller moves to the current
     * version).
     *
     * @throws InterruptedException if the caller is interrupted while it waits
     */
    PluginInstance borrow() throws InterruptedException {
        if (retired) {
            return null;
        }
        PluginInstance instance = idle.poll();
        if (instance != null) {
            return instance;
        }
        for (int n = live.get(); n < size; n = live.get()) {
            if (live.compareAndSet(n, n + 1)) {
                return create();
            }
        }
        waits.increment();
        while (!retired) {
            instance = idle.poll(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
            if (instance != null) {
                return instance;
            }
        }
        return null;
    }

    private PluginInstance create() {
        try {
            PluginInstance instance = factory.get();
            all.add(instance);
            watchdog.watch(instance.deadline);
            created.increment();
            return instance;
        } catch (RuntimeException | Error e) {
            live.decrementAndGet();
            throw e;
        }
    }

    /** Returns an instance after its call; {@code discard} drops it instead (trapped, grown, worn out). */
    void release(PluginInstance instance, boolean discard) {
        if (discard || retired) {
            drop(instance);
            return;
        }
        idle.offer(instance); // never full: at most `size` instances exist
        if (retired && idle.remove(instance)) {
            drop(instance); // retire() ran between the check and the offer
        }
    }

    private void drop(PluginInstance instance) {
        if (all.remove(instance)) {
            watchdog.unwatch(instance.deadline);
            live.decrementAndGet();
        }
    }

    /** Retires the pool after a swap or an undeploy (see the class comment). Idempotent. */
    void retire() {
        retired = true;
        PluginInstance instance;
        while ((instance = idle.poll()) != null) {
            drop(instance);
        }
    }

    long waits() {
        return waits.sum();
    }

    long created() {
        return created.sum();
    }

    int idle() {
        return idle.size();
    }

    int live() {
        return all.size();
    }

    /** The memory pages of the live instances now (read from other threads: a gauge, not exact). */
    long memoryPages() {
        long pages = 0;
        for (PluginInstance instance : all) {
            pages += instance.memory.pages();
        }
        return pages;
    }
}
