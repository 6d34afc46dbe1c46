package dev.colony.validation.scenarios;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.state.Completion;
import dev.colony.state.Handoff;
import dev.colony.state.Handoffs;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Node B's {@value RedisTasksScenario#WORKERS} task workers of {@code redis-tasks}: virtual threads that claim
 * (30 s lease) and complete tasks, each completion claiming the worker's next task in the same call
 * ({@code completeAndClaim}, ADR 0063), {@code PREFIX0..PREFIX(n-1)} until each was completed once or 120 s passed.
 * A worker holding nothing waits for work with a waiting claim (up to {@link #WAIT} at a time; ADR 0076) instead
 * of claiming again after a pause; once every task was completed, the workers still waiting are interrupted.
 * Each task counts once, with the time from its submission (A's {@link System#nanoTime} in its first 8 payload
 * bytes) to its OK completion; one completed twice or not OK is counted over the whole run.
 *
 * <p>One iteration at a time: {@link #start}, then {@link #await}.
 */
final class TaskWorkers {
    static final long BOUND_NANOS = 120_000_000_000L;
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** The longest single waiting claim of an idle worker. */
    static final Duration WAIT = Duration.ofSeconds(1);

    private final Colony b;
    private final LongAdder twice = new LongAdder();
    private final LongAdder notOk = new LongAdder();
    private final Thread[] threads = new Thread[RedisTasksScenario.WORKERS];
    private ConcurrentHistogram latency;
    private LongAdder good;
    private CountDownLatch finished;
    private int target;

    TaskWorkers(Colony b) {
        this.b = b;
    }

    /**
     * Starts the workers on tasks {@code prefix0..prefix(n-1)}: with {@code perCall} 1, one task per call
     * ({@code completeAndClaim} of one lease); above, up to {@code perCall} tasks claimed per call and all of them
     * completed with the next claims in one call (ADR 0072).
     */
    void start(String prefix, int n, int perCall) {
        long start = System.nanoTime();
        AtomicIntegerArray completed = new AtomicIntegerArray(n);
        ConcurrentHistogram iterationLatency = new ConcurrentHistogram(3_600_000_000_000L, 3);
        LongAdder iterationGood = new LongAdder();
        latency = iterationLatency;
        good = iterationGood;
        target = n;
        finished = new CountDownLatch(1);
        for (int w = 0; w < threads.length; w++) {
            AgentId worker = AgentId.of("worker-" + w);
            threads[w] = Thread.ofVirtual().start(() -> {
                try {
                    if (perCall > 1) {
                        List<Lease> held = List.of();
                        while (iterationGood.sum() < n && System.nanoTime() - start < BOUND_NANOS) {
                            held = workMany(worker, held, perCall, prefix, completed, iterationGood, iterationLatency);
                        }
                        return;
                    }
                    Optional<Lease> held = Optional.empty();
                    while (iterationGood.sum() < n && System.nanoTime() - start < BOUND_NANOS) {
                        held = work(worker, held, prefix, completed, iterationGood, iterationLatency);
                    }
                } catch (RuntimeException e) {
                    if (!Thread.currentThread().isInterrupted()) {
                        throw e;
                    }
                    // interrupted while waiting for work after the last task: the iteration is over
                }
            });
        }
    }

    /** Waits for the workers of the current iteration; the counts. */
    NodeBReply await() throws InterruptedException {
        finished.await(BOUND_NANOS, TimeUnit.NANOSECONDS);
        for (Thread t : threads) {
            t.interrupt(); // the workers still in a waiting claim: nothing is left to claim
        }
        for (Thread t : threads) {
            t.join();
        }
        return NodeBReply.counts(good.sum(), twice.sum(), null, notOk.sum(), latency);
    }

    /**
     * One step of a worker: waits for a task with a waiting claim when it holds no lease (ADR 0076), else completes its
     * lease and claims the next in one call ({@link dev.colony.state.TaskQueue#completeAndClaim}, ADR 0063); each
     * task counts once, with its submit-to-complete time. Returns the lease held now.
     */
    private Optional<Lease> work(
            AgentId worker,
            Optional<Lease> held,
            String prefix,
            AtomicIntegerArray completed,
            LongAdder iterationGood,
            ConcurrentHistogram iterationLatency) {
        if (held.isEmpty()) {
            List<Lease> claimed = b.tasks().claim(worker, Set.of(), LEASE, 1, WAIT);
            return claimed.isEmpty() ? Optional.empty() : Optional.of(claimed.getFirst());
        }
        Lease lease = held.get();
        byte[] payload = lease.task().spec().payload();
        Handoff handoff = b.tasks().completeAndClaim(lease, payload, Set.of(), LEASE);
        if (handoff.outcome() != LeaseOutcome.OK || !lease.taskId().startsWith(prefix)) {
            notOk.increment();
            return handoff.next();
        }
        count(lease, System.nanoTime(), prefix, completed, iterationGood, iterationLatency);
        return handoff.next();
    }

    /**
     * One step of a worker taking up to {@code perCall} tasks per call: completes every lease it holds and claims
     * the next ones in one call, or waits for tasks with a waiting claim when it holds none; each task counts once. Returns the leases held now.
     */
    private List<Lease> workMany(
            AgentId worker,
            List<Lease> held,
            int perCall,
            String prefix,
            AtomicIntegerArray completed,
            LongAdder iterationGood,
            ConcurrentHistogram iterationLatency) {
        if (held.isEmpty()) {
            return b.tasks().claim(worker, Set.of(), LEASE, perCall, WAIT);
        }
        List<Completion> done = new ArrayList<>(held.size());
        for (Lease lease : held) {
            done.add(new Completion(lease, lease.task().spec().payload()));
        }
        Handoffs handoffs = b.tasks().completeAndClaim(worker, done, Set.of(), LEASE, perCall);
        long now = System.nanoTime();
        for (int i = 0; i < held.size(); i++) {
            Lease lease = held.get(i);
            if (handoffs.outcomes().get(i) != LeaseOutcome.OK || !lease.taskId().startsWith(prefix)) {
                notOk.increment();
                continue;
            }
            count(lease, now, prefix, completed, iterationGood, iterationLatency);
        }
        return handoffs.next();
    }

    private void count(
            Lease lease,
            long now,
            String prefix,
            AtomicIntegerArray completed,
            LongAdder iterationGood,
            ConcurrentHistogram iterationLatency) {
        int seq = Integer.parseInt(lease.taskId().substring(prefix.length()));
        if (completed.incrementAndGet(seq) == 1) {
            byte[] payload = lease.task().spec().payload();
            iterationLatency.recordValue(
                    Math.max(0, now - ByteBuffer.wrap(payload).getLong()));
            iterationGood.increment();
            if (iterationGood.sum() >= target) {
                finished.countDown();
            }
        } else {
            twice.increment();
        }
    }
}
