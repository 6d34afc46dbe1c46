package dev.colony.cli.demo;

import dev.colony.Colony;
import dev.colony.agent.AgentHandle;
import dev.colony.messaging.AgentId;
import dev.colony.state.Leadership;
import dev.colony.state.TaskSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The chaos step of the story. First a worker dies holding a task: the next worker to claim (any but
 * worker-0, which can do every kind of task) dies right after that claim and its agent is stopped; its lease
 * is left to expire by the clock, so another worker must rescue the task. Then the leader freezes; another
 * candidate is elected in a higher term, and the frozen leader wakes and writes under its old fence, a write
 * the colony must refuse.
 */
final class Chaos {
    /** The worker that died, and the task it held. */
    record Kill(AgentId worker, String task) {}

    /** The frozen leader, its successor, and what became of the late write under the old term. */
    record Failover(Leadership old, Leadership successor, boolean lateWriteRefused) {}

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    private final AtomicBoolean killRequested = new AtomicBoolean();
    private final CompletableFuture<Kill> kill = new CompletableFuture<>();

    /**
     * Called by a worker after each claim: true if this worker is the victim (it must then return without
     * completing or failing the task). Worker-0 is never chosen, so some worker can always do every task.
     */
    boolean crashHere(Worker worker, String taskId) {
        if (worker.id.equals(AgentId.of("worker-0")) || !killRequested.compareAndSet(true, false)) {
            return false;
        }
        return kill.complete(new Kill(worker.id, taskId)); // false once every task was done without a victim
    }

    /**
     * Kills the next worker to claim a task; null with a single worker, if every task is done before another
     * worker claims one ({@code allDone} opens: a small run), or if the deadline passes first.
     */
    Kill killWorker(Map<AgentId, AgentHandle> workers, CountDownLatch allDone, Deadline deadline)
            throws InterruptedException {
        if (workers.size() < 2) {
            return null;
        }
        killRequested.set(true);
        Thread noVictim = Thread.ofVirtual().name("demo-no-victim").start(() -> {
            try {
                allDone.await();
                kill.complete(null);
            } catch (InterruptedException e) {
                // the kill happened first
            }
        });
        Kill victim;
        try {
            victim = kill.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            victim = null; // never completed exceptionally: only a victim or null complete it
        } finally {
            killRequested.set(false);
            noVictim.interrupt();
        }
        if (victim != null) {
            workers.get(victim.worker()).stop(min(STOP_TIMEOUT, deadline.remaining()));
        }
        return victim;
    }

    /**
     * Freezes the current leader, waits until another candidate is elected, then lets the old leader write
     * under its stale fence and stops it; null if no failover happened before the deadline.
     */
    Failover failLeader(Colony colony, Elections elections, Map<AgentId, Coordinator> coordinators, Deadline deadline)
            throws InterruptedException {
        Leadership old = elections.awaitTermAbove(0, deadline);
        if (old == null) {
            return null;
        }
        Leadership current = colony.leaders().leader(Coordinator.GROUP).orElse(old);
        coordinators.get(current.leader()).freeze();
        Leadership successor = elections.awaitTermAbove(current.term(), deadline);
        if (successor == null) {
            return null;
        }
        // The old leader wakes up and, still believing it leads, writes under its fence.
        TaskSpec late = new TaskSpec("late-write-" + current.term(), "demo", new byte[0], 0, Set.of("cpu"), 1);
        Optional<String> accepted = colony.tasks().submit(late, current.fence());
        return new Failover(current, successor, accepted.isEmpty());
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
