package dev.colony.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tracks publishes in flight so that closing a subscription can wait until no DIRECT delivery to it is
 * still running (the guarantee of {@link Subscription#close()}).
 *
 * <p>The algorithm is a sleepable read-copy-update with two phases. A publisher reads the phase, adds its
 * event count to the "entries" counter of (phase, its stripe), delivers, and adds the same count to the
 * "exits" counter of the same cell. A closer first marks the subscription closed (a volatile write),
 * then, under the gate's lock, twice flips the phase and waits until every stripe of the phase it left
 * has been seen quiescent: it reads the exits, then the entries, and equal values prove no publisher
 * was inside the cell at the moment the exits were read (entries only grow and never trail exits). A
 * publisher whose increment the closer did not see comes after the closer's read in the synchronization
 * order, so its later read of the closed flag sees {@code true} and it skips the subscription. Waiting on
 * both phases, one after the other, also covers a publisher that read the phase long ago and increments
 * late. Each wait is on a phase that new publishers no longer enter, so publishing cannot starve a closer.
 *
 * <p>Fast path: before taking the lock and flipping, a closer sweeps every cell of both phases once,
 * reading each cell's exits, then its entries. If every cell is equal, it is done: the argument above
 * holds cell by cell (a publisher increments one cell, and was either out of it when the closer read its
 * exits, or increments it later and then sees the closed flag), so no flip is needed. The flips exist
 * for progress under steady publishing, when some cell is rarely seen equal; with no publish running
 * (most closes) the sweep costs a few cache lines instead of the lock and two fenced phase writes.
 *
 * <p>A publisher that must wait for mailbox space leaves the gate while it waits and comes back through
 * {@link #reenter}, which uses a second pair of cells per stripe and phase; the closer checks those too.
 * So the first-entry counters count each published event exactly once and double as the bus's count of
 * published events, which therefore only grows. Each stripe sits on its own pair of cache lines; a
 * thread always uses the stripe its id hashes to.
 *
 * <p>A thread that is itself inside a publish (a handler closing a subscription) must not wait for other
 * publishers, which may be waiting for it: for it, {@link #awaitQuiescence} returns at once. Such a
 * close stops new deliveries but may let deliveries already running on other threads finish.
 *
 * <p>Every wait has a deadline (the bus's close timeout), so a DIRECT handler that never returns cannot
 * hang a closer. A closer that gives up may leave the phase flipped once and a stripe of the old phase
 * busy; that is harmless, because the next closer flips twice again and waits for both phases itself:
 * its argument does not depend on earlier closers having finished.
 */
final class PublishGate {
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int STRIDE = 16; // longs per stripe: 128 bytes, two cache lines
    private static final int REENTRY = 4; // offset of the re-entry cells within a stripe
    private static final int STRIPES = stripes();

    private final long[] cells = new long[STRIPES * STRIDE];
    private final ReentrantLock closers = new ReentrantLock();
    private volatile int phase;

    private final ThreadLocal<Holder> holders = ThreadLocal.withInitial(Holder::new);

    /** Per-thread state: the thread's stripe and how many of its events are in flight. */
    static final class Holder {
        final int stripe = (int) mix(Thread.currentThread().threadId()) & (STRIPES - 1);
        int inFlight;
        int untilSample; // publishes until the next latency sample
    }

    /** The calling thread's holder; fetch it once per publish and pass it to enter and exit. */
    Holder holder() {
        return holders.get();
    }

    /** Marks {@code count} events as in flight; returns the token to pass to {@link #exit}. */
    int enter(Holder holder, int count) {
        int index = holder.stripe * STRIDE + 2 * phase;
        CELLS.getAndAdd(cells, index, (long) count);
        holder.inFlight += count;
        return index;
    }

    /**
     * Marks one event as in flight again after its publisher left the gate to wait; it is not counted
     * as a new event. Returns the token to pass to {@link #exit}.
     */
    int reenter(Holder holder) {
        int index = holder.stripe * STRIDE + REENTRY + 2 * phase;
        CELLS.getAndAdd(cells, index, 1L);
        holder.inFlight += 1;
        return index;
    }

    void exit(Holder holder, int token, int count) {
        CELLS.getAndAdd(cells, token + 1, (long) count);
        holder.inFlight -= count;
    }

    /** How a wait for quiescence ended. */
    enum Quiescence {
        /** Every publish that might have missed the closer's write has finished. */
        QUIET,
        /** The caller is inside a publish, so it did not wait. */
        INSIDE_PUBLISH,
        /** The deadline passed while a publish (a DIRECT handler that does not return) was still running. */
        TIMED_OUT
    }

    /**
     * Waits until every publish that might have missed a volatile write made before this call has
     * finished, or until {@code deadline} ({@link System#nanoTime()} time) passes. Returns at once, without
     * waiting, when the calling thread is inside a publish. Interrupts do not end the wait; the caller's
     * interrupt status is kept.
     */
    Quiescence awaitQuiescence(long deadline) {
        if (holders.get().inFlight > 0) {
            return Quiescence.INSIDE_PUBLISH;
        }
        if (isQuiet()) {
            return Quiescence.QUIET;
        }
        if (!lockCloser(deadline)) {
            return Quiescence.TIMED_OUT;
        }
        try {
            for (int round = 0; round < 2; round++) {
                int old = phase;
                phase = 1 - old;
                for (int stripe = 0; stripe < STRIPES; stripe++) {
                    if (!awaitStripe(stripe * STRIDE + 2 * old, deadline)
                            || !awaitStripe(stripe * STRIDE + REENTRY + 2 * old, deadline)) {
                        return Quiescence.TIMED_OUT;
                    }
                }
            }
            return Quiescence.QUIET;
        } finally {
            closers.unlock();
        }
    }

    /** The fast path (see the class comment): one sweep finds every cell of both phases equal. */
    private boolean isQuiet() {
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            for (int cell = 0; cell < 2 * REENTRY; cell += 2) { // entry and re-entry cells of both phases
                int index = stripe * STRIDE + cell;
                long exits = (long) CELLS.getVolatile(cells, index + 1);
                if ((long) CELLS.getVolatile(cells, index) != exits) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean lockCloser(long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return closers.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean awaitStripe(int index, long deadline) {
        int spins = 0;
        while (true) {
            long exits = (long) CELLS.getVolatile(cells, index + 1);
            long entries = (long) CELLS.getVolatile(cells, index);
            if (entries == exits) {
                return true;
            }
            if (++spins < 64) {
                Thread.onSpinWait();
            } else if (spins < 128) {
                Thread.yield();
            } else if (deadline - System.nanoTime() <= 0) {
                return false;
            } else {
                LockSupport.parkNanos(10_000);
            }
        }
    }

    /** Events that entered the gate so far, each counted once however often its publisher re-entered. */
    long entered() {
        long sum = 0;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            int base = stripe * STRIDE;
            sum += (long) CELLS.getVolatile(cells, base) + (long) CELLS.getVolatile(cells, base + 2);
        }
        return sum;
    }

    private static int stripes() {
        int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
        int n = Integer.highestOneBit(cpus * 4 - 1) << 1;
        return Math.min(64, Math.max(8, n));
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
