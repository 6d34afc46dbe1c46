package dev.colony.state;

import static dev.colony.bus.BusTesting.PATIENCE;
import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link TaskQueueContract}: many virtual-thread workers on one queue. Bounded in tasks and in
 * time ({@code PATIENCE}); the assertions are exact counts, never timings.
 */
public interface TaskQueueConcurrencyContract extends StateFixture {
    int TASKS = 2_000;
    int WORKERS = 200;

    @Test
    default void claimAndComplete_manyWorkers_everyTaskCompletedExactlyOnce() throws Exception {
        TaskQueue tasks = state().tasks();
        for (int i = 0; i < TASKS; i++) {
            tasks.submit(TaskSpec.of("t" + i, "work", bytes("x")).withPriority(i % 10));
        }
        Map<String, AgentId> inProgress = new ConcurrentHashMap<>();
        LongAdder doubleClaims = new LongAdder();
        LongAdder completions = new LongAdder();
        LongAdder refused = new LongAdder();

        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < WORKERS; w++) {
                AgentId agent = AgentId.of("worker-" + w);
                workers.add(executor.submit(() -> {
                    for (Optional<Lease> next = tasks.claim(agent, Set.of(), LEASE);
                            next.isPresent();
                            next = tasks.claim(agent, Set.of(), LEASE)) {
                        Lease lease = next.get();
                        if (inProgress.putIfAbsent(lease.taskId(), agent) != null) {
                            doubleClaims.increment();
                        }
                        inProgress.remove(lease.taskId(), agent);
                        if (tasks.complete(lease, bytes(agent.value())) == LeaseOutcome.OK) {
                            completions.increment();
                        } else {
                            refused.increment();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        assertThat(doubleClaims.sum()).isZero();
        assertThat(refused.sum()).isZero();
        assertThat(completions.sum()).isEqualTo(TASKS);
        assertThat(tasks.byStatus(TaskStatus.COMPLETED))
                .hasSize(TASKS)
                .allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1));
        assertThat(tasks.byStatus(TaskStatus.QUEUED)).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.CLAIMED)).isEmpty();
    }

    @Test
    default void claimAndComplete_leasesExpiringMeanwhile_everyTaskFinalAndCompletedAtMostOnce() throws Exception {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        int count = TASKS / 2;
        for (int i = 0; i < count; i++) {
            tasks.submit(TaskSpec.of("t" + i, "work", bytes("x")));
        }
        Map<String, AtomicInteger> okPerTask = new ConcurrentHashMap<>();
        LongAdder stale = new LongAdder();
        AtomicBoolean done = new AtomicBoolean();

        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            workers.add(executor.submit(() -> {
                while (!done.get()) {
                    clock().advance(Duration.ofSeconds(11));
                    state.sweep();
                    Thread.yield(); // lets the workers run between clock steps; nothing waits on a timer
                }
                return null;
            }));
            for (int w = 0; w < WORKERS; w++) {
                AgentId agent = AgentId.of("worker-" + w);
                workers.add(executor.submit(() -> {
                    Lease stalled = null;
                    while (!done.get()) {
                        if (stalled != null) {
                            // a worker that was slow: its lease may have expired and the task been claimed again
                            record(tasks.complete(stalled, bytes("late")), stalled, okPerTask, stale);
                            stalled = null;
                        }
                        Optional<Lease> next = tasks.claim(agent, Set.of(), Duration.ofSeconds(10));
                        if (next.isEmpty()) {
                            Thread.yield();
                        } else if (next.get().token() % 3 == 0) {
                            stalled = next.get();
                        } else {
                            record(tasks.complete(next.get(), bytes("on time")), next.get(), okPerTask, stale);
                        }
                    }
                    return null;
                }));
            }
            eventually()
                    .until(() -> tasks.byStatus(TaskStatus.COMPLETED).size()
                                    + tasks.byStatus(TaskStatus.DEAD).size()
                            == count);
            done.set(true);
            for (Future<?> worker : workers) {
                worker.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        List<Task> completed = tasks.byStatus(TaskStatus.COMPLETED);
        assertThat(okPerTask.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(okPerTask.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        completed.stream().map(Task::id).toList());
        assertThat(tasks.byStatus(TaskStatus.DEAD))
                .allSatisfy(t -> assertThat(t.attempts()).isEqualTo(3))
                .hasSize(count - completed.size());
        assertThat(tasks.byStatus(TaskStatus.QUEUED)).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.CLAIMED)).isEmpty();
    }

    private static void record(
            LeaseOutcome outcome, Lease lease, Map<String, AtomicInteger> okPerTask, LongAdder stale) {
        if (outcome == LeaseOutcome.OK) {
            okPerTask.computeIfAbsent(lease.taskId(), k -> new AtomicInteger()).incrementAndGet();
        } else {
            stale.increment();
        }
    }
}
