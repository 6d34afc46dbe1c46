package dev.colony.agent;

import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subscription;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.MessageHandler;
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
 * spawn, and at each restart once the {@link RestartTimer} says the backoff is over), the inbox's drainer
 * runs onMessage, and a stopper runs onStop. The drainer is attached only after the first onStart returns;
 * after a crash it waits in {@link #awaitRunning} until the restart's onStart returns; the stopper cancels a
 * pending restart, joins the lifecycle thread and then closes the inbox, which joins the drainer. Every
 * hand-over goes through this object's monitor (or a thread start/join), so each behavior call
 * happens-before the next.
 *
 * <p>Where the agent is lives in one {@link RunState}, moved only by {@link #moveTo}, which refuses a move
 * the table does not allow. Beside it two facts that are not states: whether the last onStart succeeded
 * (a stop calls onStop only then) and whether the inbox is attached (only the first successful onStart
 * attaches it). All mutable fields are guarded by {@code this}; {@code state} and {@code restarts} are also
 * volatile for lock-free reads by {@link #status()} and {@link #restarts()}.
 *
 * <p>Every crash, restart and failure is one line on the {@code dev.colony.agent} {@link System.Logger},
 * naming the agent: a crash at WARNING (its stack trace at DEBUG), a restart at INFO, FAILED at ERROR.
 */
final class LocalAgent implements AgentHandle, AgentContext, MessageHandler {
    private final LocalAgents runtime;
    private final AgentSpec spec;
    private final Behavior behavior;
    private final Inbox inbox;
    private final System.Logger log;

    private volatile RunState state = RunState.STARTING;
    private volatile int restarts;
    private volatile Thread drainer; // the inbox's thread, once it has run a message; interrupted on a forced stop
    private Thread lifecycle; // running onStart (first start or restart), or null
    private RestartTimer.Pending pendingRestart; // while BACKING_OFF
    private Thread stopper;
    private Thread finisher; // the thread that terminated the agent; joined by awaitTermination
    private boolean started; // the last onStart succeeded
    private boolean attached; // the inbox runs onMessage
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
        this.log = runtime.log;
        this.heartbeatNanos = spec.heartbeatInterval().toNanos();
        this.nextHeartbeat = now + heartbeatNanos;
    }

    // ---- lifecycle ----

    /** Moves to {@code next}; a move the table refuses is a bug of this class. Under the monitor. */
    private void moveTo(RunState next) {
        if (!state.next().contains(next)) {
            throw new IllegalStateException("agent \"" + spec.id() + "\" cannot move from " + state + " to " + next
                    + " (allowed: " + state.next() + ")");
        }
        state = next;
        notifyAll();
    }

    synchronized void start() {
        lifecycle = runtime.thread("colony-agent-start-" + spec.id(), this::runStart);
    }

    /** Runs onStart on the lifecycle thread (the start thread, or a restart's timer thread). */
    private void runStart() {
        try {
            try {
                behavior.onStart(this);
            } catch (Exception | Error e) {
                crashed("onStart", e);
                return;
            }
            started();
        } finally {
            synchronized (this) {
                if (lifecycle == Thread.currentThread()) {
                    lifecycle = null;
                    notifyAll();
                }
            }
        }
    }

    private void started() {
        boolean attach;
        synchronized (this) {
            started = true;
            if (state.stopping()) {
                return; // the stopper, joining this thread, calls onStop
            }
            moveTo(RunState.RUNNING);
            attach = !attached;
            attached = true;
        }
        if (attach) {
            // still the lifecycle thread: a stopper joins it before closing the inbox
            runtime.move(spec.id(), AgentStatus.IDLE);
            inbox.attach(this); // the agent is its inbox's handler: no closure per agent
        }
    }

    /** The timer's restart: runs onStart again unless a stop came first. On the timer's thread. */
    private void restart() {
        synchronized (this) {
            if (state != RunState.BACKING_OFF) {
                return;
            }
            pendingRestart = null;
            moveTo(RunState.RESTARTING);
            lifecycle = Thread.currentThread();
        }
        runStart();
    }

    /**
     * Records a crash of onStart or onMessage: BACKING_OFF with a restart scheduled while the policy allows
     * one, FAILED otherwise; nothing moves while a stop is under way.
     */
    private void crashed(String where, Throwable error) {
        int restart;
        boolean stopping;
        synchronized (this) {
            lastFailure = error;
            started = false;
            stopping = state.stopping() || state.isTerminal();
            restart = stopping || restarts >= spec.restart().maxRestarts() ? -1 : ++restarts;
            if (!stopping) {
                moveTo(restart < 0 ? RunState.FAILED : RunState.BACKING_OFF);
            }
        }
        logCrash(where, error);
        if (stopping) {
            return;
        }
        closeSubscriptions(); // before the restart's onStart can subscribe again
        if (restart < 0) {
            log.log(
                    System.Logger.Level.ERROR,
                    "agent " + spec.id() + " FAILED after " + restarts + " restart(s) of "
                            + spec.restart().maxRestarts() + "; last cause: " + describe(error));
            fail();
            return;
        }
        Duration backoff = spec.restart().backoff(restart);
        log.log(
                System.Logger.Level.INFO,
                "agent " + spec.id() + " restarting: attempt " + restart + " of "
                        + spec.restart().maxRestarts() + ", backoff " + backoff);
        synchronized (this) {
            if (state == RunState.BACKING_OFF) { // not stopped meanwhile
                pendingRestart = runtime.timer.schedule(spec.id(), backoff, this::restart);
            }
        }
    }

    private void logCrash(String where, Throwable error) {
        log.log(System.Logger.Level.WARNING, "agent " + spec.id() + " crashed in " + where + ": " + describe(error));
        if (log.isLoggable(System.Logger.Level.DEBUG)) {
            log.log(System.Logger.Level.DEBUG, "agent " + spec.id() + " crash in " + where, error);
        }
    }

    private static String describe(Throwable error) {
        return error.getClass().getName() + ": " + error.getMessage();
    }

    private void fail() {
        inbox.close(); // queued messages become dead letters; does not wait when called by the drainer
        runtime.move(spec.id(), AgentStatus.FAILED);
        terminated();
    }

    /** The inbox's handler: onMessage, once the agent is running. On the inbox's drainer. */
    @Override
    public void onMessage(Envelope message) throws Exception {
        drainer = Thread.currentThread();
        awaitRunning();
        try {
            behavior.onMessage(this, message);
        } catch (Exception | Error e) {
            crashed("onMessage", e);
            throw e; // the messenger counts it and fails the request, if the message was one
        }
    }

    /** Waits while the agent restarts; throws if it stopped or failed meanwhile, so the message is reported. */
    private synchronized void awaitRunning() throws InterruptedException {
        while (state.restarting()) {
            wait();
        }
        if (state == RunState.FAILED || (state.stopping() && !started)) {
            throw new IllegalStateException(
                    "agent \"" + spec.id() + "\" stopped or failed before handling this message");
        }
    }

    /** Starts the stopper unless the agent stops or terminated already. */
    void requestStop() {
        synchronized (this) {
            if (state.stopping() || state.isTerminal()) {
                return;
            }
            moveTo(RunState.STOPPING);
            stopper = runtime.thread("colony-agent-stop-" + spec.id(), this::runStop);
        }
    }

    private void runStop() {
        RestartTimer.Pending pending;
        synchronized (this) {
            pending = pendingRestart;
            pendingRestart = null;
        }
        if (pending != null) {
            pending.cancel(); // drops the restart, or waits for the onStart it began
        }
        Thread starting;
        synchronized (this) {
            starting = lifecycle; // none can begin now: a restart needs BACKING_OFF
        }
        if (starting != null) {
            joinUninterruptibly(starting); // onStart finishes
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
                logCrash("onStop", e);
            }
        }
        synchronized (this) {
            moveTo(RunState.STOPPED); // before closing: a later subscribe is closed at once
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
        return state.visible();
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

    /**
     * Terminal, and {@link #terminated()} ran: the registry shows the final status and the runtime let go of
     * the agent. (The run state turns FAILED under the lock before those effects, on the crashing thread.)
     */
    private boolean terminatedNow() {
        return state.isTerminal() && finisher != null && stopper == null && lifecycle == null;
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
        return "Agent[" + spec.id() + ", " + state.visible() + ", restarts=" + restarts + "]";
    }
}
