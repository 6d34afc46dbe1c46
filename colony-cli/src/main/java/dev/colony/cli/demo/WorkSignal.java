package dev.colony.cli.demo;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where idle workers wait for work instead of polling the queue. A coordinator that submits n tasks wakes up
 * to n waiting workers, one each; the end of the run wakes them all. Tasks also come back without a submit
 * (a lease that ran out, a retry after its backoff), which nobody announces, so every wait is bounded and
 * the worker claims again when it ends: idle workers back off from 1 ms doubling to {@link #MAX_IDLE_MILLIS}.
 * Polling every 2 ms instead, 20,000 idle workers kept the state lock so busy that spawning one more agent
 * took seconds.
 */
final class WorkSignal {
    static final long MAX_IDLE_MILLIS = 100;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();

    /** Wakes up to {@code tasks} idle workers. */
    void submitted(int tasks) {
        lock.lock();
        try {
            for (int i = 0; i < tasks; i++) {
                available.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every idle worker (the run is over). */
    void finish() {
        lock.lock();
        try {
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} or until woken; false if interrupted (the flag is kept). */
    boolean await(long millis) {
        lock.lock();
        try {
            available.await(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The next idle wait after {@code millis} found no work: doubled, at most {@link #MAX_IDLE_MILLIS}. */
    static long backOff(long millis) {
        return Math.min(MAX_IDLE_MILLIS, millis * 2);
    }
}
