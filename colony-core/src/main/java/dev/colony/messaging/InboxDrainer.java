package dev.colony.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The thread that drains one inbox, the one every backend's inbox uses (embedded and Redis): a virtual
 * thread started at most once, waited for with a deadline when the inbox closes, and interrupted once when
 * the close gives up on a handler still running (abandoned).
 *
 * <p>Starting and the first wait are ordered by this object's lock: once a wait has begun, {@link #start}
 * refuses, so a wait that found no thread never misses one started after it.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread. <b>Failures.</b> {@link #start}
 * throws {@link IllegalStateException} when the drainer was started already; {@link #await} returns false
 * on its deadline or when the waiting thread is interrupted (its interrupt status is set again).
 */
public final class InboxDrainer {
    private Thread thread; // guarded by this
    private boolean closing; // guarded by this
    private boolean abandoned; // guarded by this

    /** A drainer not started yet. */
    public InboxDrainer() {}

    /**
     * Starts {@code body} on a virtual thread named {@code name}; false, starting nothing, when a wait for
     * the drainer has begun (the inbox is closing).
     *
     * @throws IllegalStateException if the drainer was started before
     */
    public synchronized boolean start(String name, Runnable body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        if (thread != null) {
            throw new IllegalStateException("drainer \"" + thread.getName() + "\" was started already");
        }
        if (closing) {
            return false;
        }
        thread = Thread.ofVirtual().name(name).start(body);
        return true;
    }

    /**
     * Checks that the inbox of {@code agent} can take a handler: it is open and has none yet.
     *
     * @throws IllegalStateException naming the agent otherwise
     */
    public static void checkAttach(AgentId agent, boolean closed, boolean attached) {
        if (closed) {
            throw closed(agent);
        }
        if (attached) {
            throw new IllegalStateException("agent \"" + agent + "\" already has a handler attached");
        }
    }

    /**
     * {@link #start} for the inbox of {@code agent}, on a thread named {@code prefix + agent}.
     *
     * @throws IllegalStateException if the inbox is closing (a wait for the drainer has begun)
     */
    public void start(AgentId agent, String prefix, Runnable body) {
        if (!start(prefix + agent, body)) {
            throw closed(agent);
        }
    }

    private static IllegalStateException closed(AgentId agent) {
        return new IllegalStateException("the inbox of agent \"" + agent + "\" is closed");
    }

    /** Whether the calling thread is this drainer (a handler sending to its own inbox). */
    public boolean isCurrent() {
        return thread() == Thread.currentThread();
    }

    private synchronized Thread thread() {
        return thread;
    }

    /**
     * Waits until the drainer has ended or {@code deadlineNanos} (of {@link System#nanoTime()}); true if it
     * ended, was never started, or is the calling thread. After the first call, {@link #start} refuses.
     */
    public boolean await(long deadlineNanos) {
        Thread running;
        synchronized (this) {
            closing = true;
            running = thread;
        }
        if (running == null || running == Thread.currentThread()) {
            return true;
        }
        try {
            return running.join(Duration.ofNanos(Math.max(deadlineNanos - System.nanoTime(), 0)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the closer was interrupted: stop waiting, abandon the handler
            return !running.isAlive();
        }
    }

    /** Interrupts the drainer if it still runs; true the first time only, for the messenger to count it. */
    public boolean abandon() {
        Thread running;
        synchronized (this) {
            if (thread == null || !thread.isAlive() || abandoned) {
                return false;
            }
            abandoned = true;
            running = thread;
        }
        running.interrupt();
        return true;
    }

    /**
     * Waits for the drainers of {@code inboxes} together, until {@code deadlineNanos}, then abandons those
     * still running; returns the inboxes abandoned now (each once, for the messenger to count and log).
     */
    public static <T> List<T> awaitAll(List<T> inboxes, Function<T, InboxDrainer> drainer, long deadlineNanos) {
        List<T> running = new ArrayList<>();
        for (T inbox : inboxes) {
            if (!drainer.apply(inbox).await(deadlineNanos)) {
                running.add(inbox);
            }
        }
        List<T> abandonedNow = new ArrayList<>();
        for (T inbox : running) {
            if (drainer.apply(inbox).abandon()) {
                abandonedNow.add(inbox);
            }
        }
        return abandonedNow;
    }
}
