package dev.colony.cli.demo;

import dev.colony.messaging.AgentId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the workers report as the run goes: each task's successful completions and who made them, the
 * failed attempts and refused completions, the claim-to-complete latencies, and the latches the story waits
 * on ({@link #chaosPoint} when a share of the tasks is done, {@link #allDone} when every one is,
 * {@link #finished} when the run ends). Thread-safe: every field is a concurrent structure.
 */
final class Ledger {
    /** A latency up to an hour, in microseconds, with three significant digits. */
    private static final long MAX_MICROS = 3_600_000_000L;

    final CountDownLatch chaosPoint;
    final CountDownLatch allDone;
    final CountDownLatch finished = new CountDownLatch(1);
    final WorkSignal work = new WorkSignal();
    final AtomicInteger submitted = new AtomicInteger();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong staleCompletions = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicInteger> completions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AgentId> completedBy = new ConcurrentHashMap<>();
    // wait-free for the recording workers; one histogram for the run instead of one per worker
    private final Recorder latencyMicros = new Recorder(MAX_MICROS, 3);

    Ledger(int tasks, double chaosAt) {
        this.chaosPoint = new CountDownLatch(Math.max(1, (int) (tasks * chaosAt)));
        this.allDone = new CountDownLatch(tasks);
    }

    /** Records that {@code agent} completed {@code taskId}, {@code micros} after claiming it. */
    void completed(String taskId, AgentId agent, long micros) {
        latencyMicros.recordValue(Math.min(micros, MAX_MICROS));
        completedBy.put(taskId, agent);
        if (completions.computeIfAbsent(taskId, key -> new AtomicInteger()).incrementAndGet() == 1) {
            chaosPoint.countDown();
            allDone.countDown();
        }
    }

    int tasksDone() {
        return completions.size();
    }

    /** The most successful completions any one task had (1 when none was completed twice). */
    int mostCompletionsOfOneTask() {
        return completions.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    AgentId completedBy(String taskId) {
        return completedBy.get(taskId);
    }

    Histogram latencies() {
        return latencyMicros.getIntervalHistogram();
    }

    /** Ends the run: opens {@link #finished} and wakes the idle workers. */
    void finish() {
        finished.countDown();
        work.finish();
    }

    boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** Waits up to {@code millis} or until the run finishes; false if the run finished or was interrupted. */
    boolean pause(long millis) {
        try {
            return !finished.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
