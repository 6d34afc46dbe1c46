package dev.colony.wasm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that enforces plugin call deadlines: every tick it looks at each live instance and interrupts
 * the calls past their deadline (see {@link CallDeadline} for the protocol).
 *
 * <p>WebAssembly on Chicory has no fuel or instruction budget; the interrupt is the only way to stop a
 * running call, and Chicory checks for it in loops and calls. A call therefore stops at most one tick plus
 * Chicory's check interval after its deadline. Costs nothing per call: instances register when created
 * and unregister when discarded, and a tick is a pass over that set (a few hundred instances at most).
 * One platform daemon thread per host, so a saturated virtual-thread scheduler cannot delay it.
 */
final class Watchdog implements AutoCloseable {
    private final Set<CallDeadline> watched = ConcurrentHashMap.newKeySet();
    private final long tickNanos;
    private final LongAdder interrupts = new LongAdder();
    private final Thread thread;
    private volatile boolean stopped;

    Watchdog(long tickNanos) {
        this.tickNanos = tickNanos;
        this.thread = Thread.ofPlatform().daemon().name("colony-wasm-watchdog").unstarted(this::run);
        thread.start();
    }

    void watch(CallDeadline deadline) {
        watched.add(deadline);
    }

    void unwatch(CallDeadline deadline) {
        watched.remove(deadline);
    }

    /** Calls interrupted so far. */
    long interrupts() {
        return interrupts.sum();
    }

    int watched() {
        return watched.size();
    }

    private void run() {
        while (!stopped) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (CallDeadline deadline : watched) {
                if (deadline.interruptIfLate(now)) {
                    interrupts.increment();
                }
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
