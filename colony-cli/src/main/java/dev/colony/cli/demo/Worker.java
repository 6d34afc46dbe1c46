package dev.colony.cli.demo;

import dev.colony.agent.AgentContext;
import dev.colony.agent.Behavior;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.TaskQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * A worker agent: its {@code onStart} starts a claim loop on a virtual thread that claims a task it can do,
 * works (now and then a millisecond), fails one attempt in twenty (retryable) and completes the rest,
 * reporting to the {@link Ledger}; {@code onStop} ends the loop and joins it. When the {@link Chaos} step
 * asks, the worker dies right after a claim, holding the task.
 */
final class Worker implements Behavior {
    static final double FAIL_RATE = 0.05;
    /** The capabilities of worker i are entry i modulo the size: worker-0 can do every kind of task. */
    static final List<Set<String>> CAPABILITIES =
            List.of(Set.of("cpu", "gpu", "io"), Set.of("cpu"), Set.of("cpu", "io"), Set.of("io"), Set.of("cpu", "gpu"));

    final AgentId id;
    final Set<String> capabilities;
    private final SplittableRandom random;
    private final Duration lease;
    private final Ledger ledger;
    private final Chaos chaos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread loop;

    Worker(int index, long seed, Duration lease, Ledger ledger, Chaos chaos) {
        this.id = AgentId.of("worker-" + index);
        this.capabilities = CAPABILITIES.get(index % CAPABILITIES.size());
        this.random = new SplittableRandom(seed * 31 + index);
        this.lease = lease;
        this.ledger = ledger;
        this.chaos = chaos;
    }

    @Override
    public void onStart(AgentContext ctx) {
        loop = Thread.ofVirtual().name("demo-" + id).start(() -> work(ctx.tasks()));
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

    private boolean running() {
        return stopped.getCount() > 0 && !ledger.isFinished();
    }

    private void work(TaskQueue queue) {
        long idleMillis = 1;
        while (running()) {
            Optional<Lease> claimed = queue.claim(id, capabilities, lease);
            if (claimed.isEmpty()) {
                if (!ledger.work.await(idleMillis)) {
                    return;
                }
                idleMillis = WorkSignal.backOff(idleMillis);
                continue;
            }
            idleMillis = 1;
            long claimedAt = System.nanoTime();
            if (chaos.crashHere(this, claimed.get().taskId())) {
                return; // dies holding the lease: never completes or fails it
            }
            if (random.nextInt(4) == 0 && !ledger.pause(1)) {
                return; // the work of one task in four takes a millisecond
            }
            attempt(queue, claimed.get(), claimedAt);
        }
    }

    private void attempt(TaskQueue queue, Lease claim, long claimedAt) {
        if (random.nextDouble() < FAIL_RATE) {
            if (queue.fail(claim, "simulated failure", true) == LeaseOutcome.OK) {
                ledger.failedAttempts.incrementAndGet();
                ledger.work.submitted(1); // the task comes back after its retry backoff
            }
            return;
        }
        byte[] result = ("done by " + id).getBytes(StandardCharsets.UTF_8);
        if (queue.complete(claim, result) == LeaseOutcome.OK) {
            ledger.completed(claim.taskId(), id, (System.nanoTime() - claimedAt) / 1_000);
        } else {
            ledger.staleCompletions.incrementAndGet(); // the lease ran out first: another worker has the task
        }
    }
}
