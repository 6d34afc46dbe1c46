package dev.colony.agent;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

/**
 * When a crashed agent's restart begins: the supervisor's only dependency on time, and the seam that lets
 * tests of restart, backoff and FAILED run without waiting (they pass a timer they advance by hand).
 */
interface RestartTimer {

    /**
     * Runs {@code restart} once {@code delay} has passed, unless the returned handle is cancelled first.
     * The restart runs on a thread of the timer's choosing, never on the caller's.
     */
    Pending schedule(AgentId agent, Duration delay, Runnable restart);

    /** A scheduled restart. */
    interface Pending {
        /**
         * Cancels the restart unless it has begun, and returns once it has either been dropped or run to its
         * end, so no thread of it is left behind. Idempotent; never called by the restart itself.
         */
        void cancel();
    }

    /**
     * The runtime's timer: one virtual thread per pending restart, parked until the backoff ends (or the
     * restart is cancelled), which then runs the restart itself. Restarts are rare, so a parked virtual
     * thread each is cheaper than a scheduler thread that would outlive every agent.
     *
     * @param threads starts a named virtual thread of the runtime (counted, so close can wait for it)
     */
    static RestartTimer onVirtualThreads(BiFunction<String, Runnable, Thread> threads) {
        return (agent, delay, restart) -> new Parked(threads, agent, delay, restart);
    }

    /** A restart parked on a virtual thread of its own. */
    final class Parked implements Pending {
        private final Thread thread;
        private volatile boolean cancelled; // written by cancel(), read by the parked thread after each unpark

        Parked(BiFunction<String, Runnable, Thread> threads, AgentId agent, Duration delay, Runnable restart) {
            long deadline = System.nanoTime() + delay.toNanos();
            this.thread = threads.apply("colony-agent-restart-" + agent.value(), () -> {
                long left;
                while (!cancelled && (left = deadline - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(this, left);
                }
                if (!cancelled) {
                    restart.run();
                }
            });
        }

        @Override
        public void cancel() {
            cancelled = true;
            LockSupport.unpark(thread);
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
