package dev.colony.wasm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The deadline of the call running on one plugin instance, enforced by the {@link Watchdog}'s interrupt.
 *
 * <p><b>Protocol.</b> The caller writes {@code deadline} and {@code runner}, then publishes them with a
 * release store of {@code state = RUNNING} ({@link #begin}). The watchdog reads {@code state} with an
 * acquire load (pairing with that release, so it sees this call's deadline and runner) and, when the
 * deadline has passed, claims the call with a compare-and-set RUNNING → INTERRUPTING, interrupts the
 * runner and stores INTERRUPTED with release ({@link #interruptIfLate}). The caller ends the call
 * ({@link #end}) with a compare-and-set RUNNING → IDLE: when it fails, the watchdog owns the call; the
 * caller spins until INTERRUPTED (acquire, pairing with the watchdog's release, so the interrupt has been
 * delivered) and then clears its interrupt status, so no interrupt meant for this call leaks into the
 * caller's next wait. An interrupt from anyone else (a closing subscription) is left in place.
 *
 * <p>One benign race: the watchdog may read the deadline of the next call on the same instance after
 * seeing RUNNING for the previous one; it then judges the next call by its own deadline, which is correct.
 */
final class CallDeadline {
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CallDeadline.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private int state;

    private long deadline;
    private Thread runner;

    /** Starts a call on the current thread that must end by {@code deadlineNanos} ({@link System#nanoTime()}). */
    void begin(long deadlineNanos) {
        deadline = deadlineNanos;
        runner = Thread.currentThread();
        STATE.setRelease(this, RUNNING);
    }

    /** Ends the call; true when the watchdog interrupted it (the interrupt is then cleared). */
    boolean end() {
        if (STATE.compareAndSet(this, RUNNING, IDLE)) {
            return false;
        }
        while ((int) STATE.getAcquire(this) != INTERRUPTED) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        STATE.setRelease(this, IDLE);
        return true;
    }

    /** Called by the watchdog: interrupts the running call if it is past its deadline at {@code now}. */
    boolean interruptIfLate(long now) {
        if ((int) STATE.getAcquire(this) != RUNNING || now - deadline < 0) {
            return false;
        }
        Thread thread = runner;
        if (!STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
            return false;
        }
        thread.interrupt();
        STATE.setRelease(this, INTERRUPTED);
        return true;
    }
}
