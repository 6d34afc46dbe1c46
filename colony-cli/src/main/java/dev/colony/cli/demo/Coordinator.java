package dev.colony.cli.demo;

import dev.colony.agent.AgentContext;
import dev.colony.agent.Behavior;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.state.Fence;
import dev.colony.state.LeaderElection;
import dev.colony.state.Leadership;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskSpec;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A coordinator candidate: campaigns for {@link #GROUP}; while it leads, renews its leadership every
 * {@link Timings#renewEvery()} and between renewals submits tasks under its fence, keeping the backlog a few
 * tasks per worker deep. A submit batch never outlasts a renewal period, so a long batch cannot let the lease
 * run out. The {@link Chaos} step can freeze it: it then neither renews nor writes until it is stopped.
 */
final class Coordinator implements Behavior {
    static final String GROUP = "coordinator";

    final AgentId id;
    private final TaskSpec[] specs;
    private final int backlog;
    private final Timings timings;
    private final Ledger ledger;
    private final Elections elections;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean frozen;
    private volatile Thread loop;

    Coordinator(int index, TaskSpec[] specs, int workers, Timings timings, Ledger ledger, Elections elections) {
        this.id = AgentId.of("coordinator-" + index);
        this.specs = specs;
        this.backlog = Math.max(20, workers * 3);
        this.timings = timings;
        this.ledger = ledger;
        this.elections = elections;
    }

    @Override
    public void onStart(AgentContext ctx) {
        loop = Thread.ofVirtual().name("demo-" + id).start(() -> coordinate(ctx.leaders(), ctx.tasks()));
    }

    @Override
    public void onMessage(AgentContext ctx, Envelope message) {}

    @Override
    public void onStop(AgentContext ctx) throws InterruptedException {
        stopped.countDown();
        Thread thread = loop;
        if (thread != null) {
            thread.join();
        }
    }

    /** Stops renewing and writing at once, as a process would that froze (a long pause, a partition). */
    void freeze() {
        frozen = true;
    }

    private void coordinate(LeaderElection leaders, TaskQueue queue) {
        Leadership leadership = null;
        try {
            while (!ledger.isFinished() && !frozen) {
                if (leadership == null) {
                    leadership = campaign(leaders);
                } else if (!leaders.renew(leadership, timings.leaderLease())
                        || !submit(queue, leadership.fence(), System.nanoTime())) {
                    leadership = null;
                }
                if (stopped.await(timings.renewEvery().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            stopped.await(); // frozen: silent until stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Leadership campaign(LeaderElection leaders) {
        elections.lock().lock(); // campaign and record together, so terms are recorded in the order granted
        try {
            Optional<Leadership> won = leaders.campaign(GROUP, id, timings.leaderLease());
            won.ifPresent(elections::granted);
            return won.orElse(null);
        } finally {
            elections.lock().unlock();
        }
    }

    /** Submits tasks while the backlog is short, for at most a renewal period; false if the fence was refused. */
    private boolean submit(TaskQueue queue, Fence fence, long renewedAt) {
        long budget = timings.renewEvery().toNanos();
        int before = ledger.submitted.get();
        try {
            return submitBatch(queue, fence, renewedAt, budget);
        } finally {
            ledger.work.submitted(ledger.submitted.get() - before);
        }
    }

    private boolean submitBatch(TaskQueue queue, Fence fence, long renewedAt, long budget) {
        int index;
        while (!frozen
                && (index = ledger.submitted.get()) < specs.length
                && index - ledger.tasksDone() < backlog
                && System.nanoTime() - renewedAt < budget) {
            try {
                if (queue.submit(specs[index], fence).isEmpty()) {
                    return false;
                }
            } catch (IllegalStateException alreadySubmitted) {
                // a previous leader submitted it just before losing the group
            }
            ledger.submitted.compareAndSet(index, index + 1);
        }
        return true;
    }
}
