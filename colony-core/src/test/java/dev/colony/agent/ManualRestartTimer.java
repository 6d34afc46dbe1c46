package dev.colony.agent;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RestartTimer} that runs nothing by itself: it records each scheduled restart with its backoff,
 * and a test runs the next one when it chooses, on the test's thread. No real delay, no race with a timer.
 */
final class ManualRestartTimer implements RestartTimer {

    /** One scheduled restart. */
    static final class Entry implements Pending {
        final AgentId agent;
        final Duration delay;
        private final Runnable restart;
        private boolean cancelled;
        private boolean ran;

        Entry(AgentId agent, Duration delay, Runnable restart) {
            this.agent = agent;
            this.delay = delay;
            this.restart = restart;
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
        }

        synchronized boolean due() {
            return !cancelled && !ran;
        }

        synchronized boolean cancelled() {
            return cancelled;
        }
    }

    private final List<Entry> scheduled = new ArrayList<>();

    @Override
    public synchronized Pending schedule(AgentId agent, Duration delay, Runnable restart) {
        Entry entry = new Entry(agent, delay, restart);
        scheduled.add(entry);
        notifyAll();
        return entry;
    }

    /** Every restart scheduled so far, in order. */
    synchronized List<Entry> scheduled() {
        return List.copyOf(scheduled);
    }

    /** The backoffs asked for so far, in order. */
    synchronized List<Duration> delays() {
        return scheduled.stream().map(e -> e.delay).toList();
    }

    /** Runs the oldest restart that is neither cancelled nor run, on this thread; false if there is none. */
    boolean runNext() {
        Entry next;
        synchronized (this) {
            next = scheduled.stream().filter(Entry::due).findFirst().orElse(null);
            if (next == null) {
                return false;
            }
            synchronized (next) {
                next.ran = true;
            }
        }
        next.restart.run();
        return true;
    }
}
