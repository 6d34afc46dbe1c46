package dev.colony.wasm;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import dev.colony.metrics.LatencyRecorder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One deployed version of a plugin: its pool, its counters, its decision cache and its quarantine state,
 * and the one place where a call is made ({@link #call}): borrow an instance, arm the deadline, run,
 * classify the outcome, recycle what must be recycled, count.
 *
 * <p>Thread-safe: any number of threads call at once, up to the pool size concurrently.
 */
final class PluginVersion {
    /** One call's work on a borrowed instance. */
    @FunctionalInterface
    interface Body<T> {
        T run(PluginInstance instance) throws CallFailure;
    }

    /** Signals that the pool was retired while the caller waited: the caller moves to the current version. */
    static final class Retired extends Exception {
        private static final long serialVersionUID = 1L;
        static final Retired INSTANCE = new Retired();

        private Retired() {
            super("retired", null, false, false);
        }
    }

    final String name;
    final Deployment deployment;
    final InstancePool pool;
    final DecisionCache cache;
    final boolean subjectOnly;
    private final long deadlineNanos;
    private final long firstCallNanos;
    private final long recycleAfterCalls;
    private final int quarantineAfter;
    private final Consumer<PluginVersion> onQuarantine;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean quarantined = new AtomicBoolean();

    final LongAdder calls = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder replaced = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LatencyRecorder latency = new LatencyRecorder();
    private final Map<CallError, LongAdder> errors = new EnumMap<>(CallError.class);

    PluginVersion(Deployment deployment, InstancePool pool, DecisionCache cache, Consumer<PluginVersion> onQuarantine) {
        this.name = deployment.name();
        this.deployment = deployment;
        this.pool = pool;
        this.cache = cache;
        this.subjectOnly = deployment.subjectOnly();
        PluginLimits limits = deployment.options().limits();
        this.deadlineNanos = limits.deadline().toNanos();
        this.firstCallNanos = Instantiation.setupNanos(limits);
        this.recycleAfterCalls = limits.recycleAfterCalls();
        this.quarantineAfter = limits.quarantineAfter();
        this.onQuarantine = onQuarantine;
        for (CallError kind : CallError.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    String version() {
        return deployment.info().version();
    }

    boolean quarantined() {
        return quarantined.get();
    }

    /**
     * Runs {@code body} on an instance under the deadline.
     *
     * @throws CallFailure when the call failed (the failure is counted, and the instance discarded unless
     *     the input was merely too large)
     * @throws Retired when the version was swapped out while the caller waited for an instance
     */
    <T> T call(Body<T> body) throws CallFailure, Retired {
        if (quarantined.get()) {
            throw count(new CallFailure(CallError.QUARANTINED, "plugin " + name + " is quarantined"));
        }
        long start = System.nanoTime();
        PluginInstance instance = borrow();
        T result = null;
        CallFailure failure = null;
        boolean late;
        // an instance's first call also loads and links the compiled code: it gets the setup allowance
        instance.deadline.begin(start + (instance.calls == 0 ? firstCallNanos : deadlineNanos));
        try {
            result = body.run(instance);
        } catch (CallFailure e) {
            failure = e;
        } catch (ChicoryInterruptedException e) {
            failure = new CallFailure(CallError.INTERRUPTED, "interrupted");
        } catch (RuntimeException | StackOverflowError e) {
            failure = new CallFailure(CallError.TRAP, String.valueOf(e.getMessage()));
        } finally {
            late = instance.deadline.end();
        }
        if (late) {
            failure = new CallFailure(
                    CallError.TIMEOUT, "the call ran past its deadline of " + deadlineNanos / 1000 + " µs");
        } else if (failure != null && failure.error == CallError.INTERRUPTED) {
            Thread.currentThread().interrupt(); // not ours: keep it for whoever sent it
        }
        instance.calls++;
        calls.increment();
        latency.record(System.nanoTime() - start);
        boolean discard = failure != null && failure.error != CallError.TOO_LARGE;
        pool.release(instance, discard || instance.worn(recycleAfterCalls));
        if (failure != null) {
            throw failed(failure);
        }
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        return result;
    }

    private PluginInstance borrow() throws CallFailure, Retired {
        PluginInstance instance;
        try {
            instance = pool.borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw count(new CallFailure(CallError.INTERRUPTED, "interrupted while waiting for an instance"));
        } catch (DeployException e) {
            throw failed(new CallFailure(CallError.TRAP, "a fresh instance failed: " + e.getMessage()));
        }
        if (instance == null) {
            throw Retired.INSTANCE;
        }
        return instance;
    }

    private CallFailure count(CallFailure failure) {
        errors.get(failure.error).increment();
        return failure;
    }

    private CallFailure failed(CallFailure failure) {
        count(failure);
        if (failure.error == CallError.INTERRUPTED) {
            return failure; // the caller is going away; the plugin did nothing wrong
        }
        if (consecutiveFailures.incrementAndGet() >= quarantineAfter && quarantined.compareAndSet(false, true)) {
            onQuarantine.accept(this);
        }
        return failure;
    }

    /** Retires the pool after a swap or an undeploy. */
    void retire() {
        pool.retire();
    }

    PluginStats stats() {
        Map<CallError, Long> counts = new EnumMap<>(CallError.class);
        errors.forEach((kind, count) -> counts.put(kind, count.sum()));
        return new PluginStats(
                name,
                version(),
                calls.sum(),
                accepted.sum(),
                rejected.sum(),
                replaced.sum(),
                counts,
                latency.snapshot(),
                bytesIn.sum(),
                bytesOut.sum(),
                pool.idle(),
                pool.live(),
                pool.created(),
                pool.waits(),
                pool.memoryPages(),
                deployment.compileNanos(),
                quarantined.get(),
                cache == null ? CacheStats.NONE : cache.stats());
    }
}
