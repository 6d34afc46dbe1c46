package dev.colony.agent;

import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subscription;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentRegistry;
import dev.colony.state.AgentStatus;
import dev.colony.state.LeaderElection;
import dev.colony.state.SharedMemory;
import dev.colony.state.TaskQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One agent of a {@link LocalAgents} runtime: its handle, its context, and its supervisor.
 *
 * <p>Three kinds of thread touch the behavior, never at once: a <em>lifecycle</em> thread runs onStart (at
 * spawn and at each restart, after the backoff), the inbox's drainer runs onMessage, and a stopper runs
 * onStop. The drainer is attached only after the first onStart returns; after a crash it waits in
 * {@link #awaitRunning} until the restart's onStart returns; the stopper joins the lifecycle thread and
 * then closes the inbox, which joins the drainer. Every hand-over goes through this object's monitor (or a
 * thread start/join), so each behavior call happens-before the next.
 *
 * <p>All mutable fields are guarded by {@code this}; {@code state} and {@code restarts} are also volatile
 * for lock-free reads by {@link #status()} and {@link #restarts()}.
 */
final class LocalAgent implements AgentHandle, AgentContext {
    private final LocalAgents runtime;
    private final AgentSpec spec;
    private final Behavior behavior;
    private final Inbox inbox;

    private volatile AgentRunState state = AgentRunState.STARTING;
    private volatile int restarts;
    private volatile Thread drainer; // the inbox's thread, once it has run a message; interrupted on a forced stop
    private Thread lifecycle; // running onStart (first start or restart), or null
    private Thread stopper;
    private Thread finisher; // the thread that terminated the agent; joined by awaitTermination
    private boolean stopRequested;
    private boolean started; // the last onStart succeeded
    private boolean attached;
    private Throwable lastFailure;
    private List<Subscription> subscriptions; // allocated on first subscribe

    /** When the next heartbeat is due, by {@link System#nanoTime()}; read and written by the heartbeat thread. */
    long nextHeartbeat;

    final long heartbeatNanos;

    LocalAgent(LocalAgents runtime, AgentSpec spec, Behavior behavior, Inbox inbox, long now) {
        this.runtime = runtime;
        this.spec = spec;
        this.behavior = behavior;
        this.inbox = inbox;
        this.heartbeatNanos = spec.heartbeatInterval().toNanos();
        this.nextHeartbeat = now + heartbeatNanos;
    }

    // ---- lifecycle ----

    synchronized void start() {
        lifecycle = runtime.thread("colony-agent-start-" + spec.id(), () -> runStart(0));
    }

    /** Runs onStart until it succeeds, the agent fails, or a stop is requested; on the lifecycle thread. */
    private void runStart(int restart) {
        int attempt = restart;
        while (true) {
            if (attempt > 0 && !waitBackoff(spec.restart().backoff(attempt))) {
                return;
            }
            try {
                behavior.onStart(this);
            } catch (Exception | Error e) {
                int next = crashed(e);
                if (next < 0) {
                    return;
                }
                attempt = next;
                continue;
            }
            started();
            return;
        }
    }

    private void started() {
        boolean first;
        synchronized (this) {
            started = true;
            first = !attached && !stopRequested;
            if (!stopRequested) {
                state = AgentRunState.RUNNING;
                attached = true;
            }
            if (!first) {
                lifecycle = null;
            }
            notifyAll();
        }
        if (first) {
            // lifecycle stays set until the inbox is attached: a stopper joins this thread before closing it
            try {
                runtime.move(spec.id(), AgentStatus.IDLE);
                inbox.attach(this::handle);
            } finally {
                synchronized (this) {
                    lifecycle = null;
                    notifyAll();
                }
            }
        }
    }

    /** Waits for a restart's backoff; false if a stop was requested meanwhile. */
    private synchronized boolean waitBackoff(Duration backoff) {
        long deadline = System.nanoTime() + backoff.toNanos();
        long left;
        while (!stopRequested && (left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                // only a stop interrupts, and it requested the stop first: the loop ends
            }
        }
        if (stopRequested) {
            lifecycle = null;
            notifyAll();
            return false;
        }
        return true;
    }

    /**
     * Records a crash; returns the number of the restart to run next, or -1 if there is none (a stop is
     * under way, or the agent failed).
     */
    private int crashed(Throwable error) {
        int restart;
        synchronized (this) {
            lastFailure = error;
            started = false;
            if (stopRequested || state.isTerminal()) {
                lifecycle = null;
                notifyAll();
                return -1;
            }
            if (restarts >= spec.restart().maxRestarts()) {
                state = AgentRunState.FAILED;
                lifecycle = null;
                notifyAll();
                restart = -1;
            } else {
                restarts++;
                state = AgentRunState.RESTARTING;
                restart = restarts;
            }
        }
        closeSubscriptions();
        if (restart < 0) {
            fail();
        }
        return restart;
    }

    private void fail() {
        inbox.close(); // queued messages become dead letters; does not wait when called by the drainer
        runtime.move(spec.id(), AgentStatus.FAILED);
        terminated();
    }

    /** The inbox's handler: onMessage, once the agent is running. On the inbox's drainer. */
    private void handle(Envelope message) throws Exception {
        drainer = Thread.currentThread();
        awaitRunning();
        try {
            behavior.onMessage(this, message);
        } catch (Exception | Error e) {
            onMessageCrashed(e);
            throw e; // the messenger counts it and fails the request, if the message was one
        }
    }

    private void onMessageCrashed(Throwable error) {
        int restart = crashed(error);
        if (restart > 0) {
            synchronized (this) {
                if (!stopRequested) {
                    lifecycle = runtime.thread("colony-agent-restart-" + spec.id(), () -> runStart(restart));
                }
            }
        }
    }

    /** Waits while the agent restarts; throws if it stopped or failed meanwhile, so the message is reported. */
    private synchronized void awaitRunning() throws InterruptedException {
        while (state == AgentRunState.RESTARTING && !stopRequested) {
            wait();
        }
        if (state == AgentRunState.FAILED || (stopRequested && !started)) {
            throw new IllegalStateException(
                    "agent \"" + spec.id() + "\" stopped or failed before handling this message");
        }
    }

    /** Starts the stopper unless the agent stops or terminated already. */
    void requestStop() {
        synchronized (this) {
            if (stopRequested || state.isTerminal()) {
                return;
            }
            stopRequested = true;
            state = AgentRunState.STOPPING;
            notifyAll();
            stopper = runtime.thread("colony-agent-stop-" + spec.id(), this::runStop);
        }
    }

    private void runStop() {
        Thread starting;
        synchronized (this) {
            starting = lifecycle;
        }
        if (starting != null) {
            joinUninterruptibly(starting); // onStart finishes; a backoff ends at once
        }
        runtime.move(spec.id(), AgentStatus.STOPPING);
        inbox.close(); // no new messages, queued ones to dead letters, waits for the current one
        boolean callOnStop;
        synchronized (this) {
            callOnStop = started;
        }
        if (callOnStop) {
            try {
                behavior.onStop(this);
            } catch (Exception | Error e) {
                synchronized (this) {
                    lastFailure = e;
                }
            }
        }
        synchronized (this) {
            state = AgentRunState.STOPPED; // before closing: a later subscribe is closed at once
        }
        closeSubscriptions();
        runtime.move(spec.id(), AgentStatus.STOPPED);
        terminated();
    }

    private void terminated() {
        synchronized (this) {
            finisher = Thread.currentThread();
            stopper = null;
            notifyAll();
        }
        runtime.terminated(this);
    }

    /** Interrupts whatever runs the behavior now: a forced stop. */
    void interrupt() {
        Thread[] threads;
        synchronized (this) {
            threads = new Thread[] {lifecycle, stopper, drainer};
        }
        for (Thread thread : threads) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    private void closeSubscriptions() {
        List<Subscription> closing;
        synchronized (this) {
            closing = subscriptions;
            subscriptions = null;
        }
        if (closing != null) {
            closing.forEach(Subscription::close);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
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

    LocalAgents runtime() {
        return runtime;
    }

    // ---- handle ----

    @Override
    public AgentId id() {
        return spec.id();
    }

    @Override
    public AgentRunState status() {
        return state;
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public synchronized Optional<Throwable> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    @Override
    public boolean stop(Duration timeout) {
        requestStop();
        try {
            if (awaitTermination(timeout)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        interrupt();
        return false;
    }

    /** Waits for the terminal state, then for the thread that got it there to end, so none is left behind. */
    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        Thread last;
        synchronized (this) {
            while (!terminatedNow() && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (!terminatedNow()) {
                return false;
            }
            last = finisher;
        }
        if (last == null || last == Thread.currentThread()) {
            return true;
        }
        return last.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }

    private boolean terminatedNow() {
        return state.isTerminal() && stopper == null && lifecycle == null;
    }

    @Override
    public void close() {
        stop(DEFAULT_STOP_TIMEOUT);
    }

    // ---- context ----

    @Override
    public AgentSpec spec() {
        return spec;
    }

    @Override
    public EventBus bus() {
        return runtime.bus;
    }

    @Override
    public Messenger messenger() {
        return runtime.messenger;
    }

    @Override
    public TaskQueue tasks() {
        return runtime.state.tasks();
    }

    @Override
    public LeaderElection leaders() {
        return runtime.state.leaders();
    }

    @Override
    public SharedMemory memory() {
        return runtime.state.memory();
    }

    @Override
    public AgentRegistry registry() {
        return runtime.state.registry();
    }

    @Override
    public SendOutcome send(AgentId to, String type, Object payload) {
        return runtime.messenger.send(Envelope.of(spec.id(), to, type, payload));
    }

    @Override
    public CompletableFuture<Envelope> request(AgentId to, String type, Object payload, Duration timeout) {
        return runtime.messenger.request(Envelope.of(spec.id(), to, type, payload), timeout);
    }

    @Override
    public SendOutcome reply(Envelope request, Object payload) {
        return runtime.messenger.reply(request, payload);
    }

    @Override
    public PublishResult publish(String subject, Object payload) {
        return runtime.bus.publish(subject, payload);
    }

    @Override
    public Subscription subscribe(String pattern, EventHandler handler) {
        Subscription subscription = runtime.bus.subscribe(pattern, handler);
        boolean keep;
        synchronized (this) {
            keep = !state.isTerminal();
            if (keep) {
                if (subscriptions == null) {
                    subscriptions = new ArrayList<>(2);
                }
                subscriptions.add(subscription);
            }
        }
        if (!keep) {
            subscription.close();
        }
        return subscription;
    }

    @Override
    public void stop() {
        requestStop();
    }

    @Override
    public String toString() {
        return "Agent[" + spec.id() + ", " + state + ", restarts=" + restarts + "]";
    }
}
