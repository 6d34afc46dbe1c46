package dev.colony.agent;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.Messenger;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentRegistry;
import dev.colony.state.AgentStatus;
import dev.colony.state.CoordinationState;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded {@link Agents} runtime.
 *
 * <p><b>Heartbeats.</b> One virtual thread ({@code colony-agent-heartbeats}, started with the first agent)
 * walks the live agents and heartbeats each that is due within a quarter of its interval, then parks until
 * the next one is (a spawn due sooner unparks it). Beating a little early lets one walk serve every agent
 * due around the same time: agents spawned at scattered instants cost at most about four walks per
 * interval, not one walk each. Heartbeats are never late by design, at most a quarter interval early.
 * With 10,000 agents at 1 s that is 10,000 registry heartbeats a second from one thread, and no sleeping
 * thread per agent. A heartbeat says the agent's runtime is alive, not that its behavior makes progress:
 * a behavior stuck in onMessage keeps heartbeating.
 */
final class LocalAgents implements Agents {
    private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(1);
    private static final long MAX_PARK = Duration.ofSeconds(1).toNanos();

    final EventBus bus;
    final Messenger messenger;
    final CoordinationState state;
    final RestartTimer timer;
    final System.Logger log;
    private final ConcurrentHashMap<AgentId, LocalAgent> live = new ConcurrentHashMap<>();
    private final AtomicInteger runningThreads = new AtomicInteger();
    private volatile boolean closed;
    private Thread heartbeats; // guarded by this
    private volatile long heartbeatWake = Long.MAX_VALUE;

    LocalAgents(EventBus bus, Messenger messenger, CoordinationState state) {
        this(bus, messenger, state, null, System.getLogger("dev.colony.agent"));
    }

    /**
     * A runtime with its supervision seams: {@code timer} decides when restarts begin (null: the runtime's
     * own, on virtual threads), {@code log} receives the crash, restart and failure lines.
     */
    LocalAgents(EventBus bus, Messenger messenger, CoordinationState state, RestartTimer timer, System.Logger log) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.messenger = Objects.requireNonNull(messenger, "messenger");
        this.state = Objects.requireNonNull(state, "state");
        this.timer = timer != null ? timer : RestartTimer.onVirtualThreads(this::thread);
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public AgentHandle spawn(AgentSpec spec, Behavior behavior) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(behavior, "behavior");
        if (closed) {
            throw new IllegalStateException("the agent runtime is closed");
        }
        register(spec);
        Inbox inbox;
        try {
            inbox = messenger.open(spec.id(), spec.inbox());
        } catch (RuntimeException e) {
            state.registry().deregister(spec.id());
            throw e;
        }
        LocalAgent agent = new LocalAgent(this, spec, behavior, inbox, System.nanoTime());
        live.put(spec.id(), agent);
        startHeartbeats(agent);
        agent.start();
        if (closed) {
            agent.requestStop(); // close() may have missed it
        }
        return agent;
    }

    /** Registers the agent, replacing a STOPPED or FAILED record of the same id. */
    private void register(AgentSpec spec) {
        AgentRegistry registry = state.registry();
        Optional<AgentRecord> old = registry.get(spec.id());
        if (old.isPresent() && !old.get().status().isLive()) {
            registry.deregister(spec.id());
        }
        registry.register(spec.id(), spec.role(), spec.capabilities(), spec.metadata());
    }

    @Override
    public List<AgentHandle> agents() {
        return List.copyOf(live.values());
    }

    /** Moves {@code id} to {@code status} in the registry unless it got there, or elsewhere, already. */
    void move(AgentId id, AgentStatus status) {
        AgentRegistry registry = state.registry();
        Optional<AgentRecord> record = registry.get(id);
        if (record.isEmpty() || !record.get().status().canMoveTo(status)) {
            return; // deregistered, restored, or marked FAILED by the sweeper
        }
        try {
            registry.transition(id, status);
        } catch (IllegalStateException | NoSuchElementException e) {
            // changed between the check and the move; the registry's view wins
        }
    }

    void terminated(LocalAgent agent) {
        live.remove(agent.id(), agent);
    }

    /** Starts a virtual thread of the runtime, counted in {@link #runningThreads()}. */
    Thread thread(String name, Runnable body) {
        runningThreads.incrementAndGet();
        return Thread.ofVirtual().name(name).start(() -> {
            try {
                body.run();
            } finally {
                if (runningThreads.decrementAndGet() == 0) {
                    synchronized (runningThreads) {
                        runningThreads.notifyAll();
                    }
                }
            }
        });
    }

    /** The runtime's own threads still running (lifecycle, stop and heartbeat threads; not the inboxes'). */
    int runningThreads() {
        return runningThreads.get();
    }

    private void startHeartbeats(LocalAgent agent) {
        Thread thread;
        synchronized (this) {
            if (heartbeats == null && !closed) {
                heartbeats = thread("colony-agent-heartbeats", this::beat);
                return;
            }
            thread = heartbeats;
        }
        if (thread != null && wakeFor(agent) - heartbeatWake < 0) {
            LockSupport.unpark(thread);
        }
    }

    /** When the heartbeat thread should beat {@code agent}: a quarter interval before it is due. */
    private static long wakeFor(LocalAgent agent) {
        return agent.nextHeartbeat - (agent.heartbeatNanos >> 2);
    }

    private void beat() {
        AgentRegistry registry = state.registry();
        while (!closed) {
            long now = System.nanoTime();
            long wake = now + MAX_PARK;
            for (LocalAgent agent : live.values()) {
                if (wakeFor(agent) - now <= 0) {
                    if (!agent.status().isTerminal()) {
                        registry.heartbeat(agent.id());
                    }
                    agent.nextHeartbeat = now + agent.heartbeatNanos;
                }
                if (wakeFor(agent) - wake < 0) {
                    wake = wakeFor(agent);
                }
            }
            heartbeatWake = wake;
            long park = wake - System.nanoTime();
            if (park > 0) {
                LockSupport.parkNanos(this, park);
            }
        }
    }

    @Override
    public void close() {
        Thread beating;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            beating = heartbeats;
        }
        List<LocalAgent> stopping = List.copyOf(live.values());
        stopping.forEach(LocalAgent::requestStop);
        long deadline = System.nanoTime() + AgentHandle.DEFAULT_STOP_TIMEOUT.toNanos();
        List<LocalAgent> stuck = awaitAll(stopping, deadline);
        stuck.forEach(LocalAgent::interrupt);
        awaitAll(stuck, System.nanoTime() + FORCED_STOP_WAIT.toNanos());
        if (beating != null) {
            LockSupport.unpark(beating);
            joinUninterruptibly(beating);
        }
        awaitThreadsEnded(System.nanoTime() + FORCED_STOP_WAIT.toNanos());
    }

    /**
     * Waits until the runtime's threads have ended, at most until {@code deadline}: a lifecycle thread whose
     * onStart crashed hands over to a restart and ends a moment after the agent's state changed.
     */
    private void awaitThreadsEnded(long deadline) {
        synchronized (runningThreads) {
            long left;
            while (runningThreads.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(runningThreads, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Waits for each agent until {@code deadline}; the ones that have not terminated. */
    private static List<LocalAgent> awaitAll(List<LocalAgent> agents, long deadline) {
        return agents.stream()
                .filter(agent -> {
                    try {
                        return !agent.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return true;
                    }
                })
                .toList();
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
}
