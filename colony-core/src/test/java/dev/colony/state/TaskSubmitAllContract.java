package dev.colony.state;

import static dev.colony.bus.BusTesting.PATIENCE;
import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link TaskQueueContract}: {@link TaskQueue#submitAll}, many tasks in one call (ADR 0072): queued in
 * list order and announced as by {@code submit}; ids that exist skipped; bad lists refused before anything is
 * queued.
 */
public interface TaskSubmitAllContract extends StateFixture {

    private static TaskSpec spec(String id) {
        return TaskSpec.of(id, "work", bytes("input-" + id));
    }

    @Test
    default void submitAll_newTasks_queuedInListOrderAndAnnounced() {
        TaskQueue tasks = state().tasks();
        List<StateChange> seen = announcements("colony.task.>");

        List<String> queued = tasks.submitAll(List.of(spec("t3"), spec("t1"), spec("t2")));

        assertThat(queued).containsExactly("t3", "t1", "t2");
        assertThat(tasks.byStatus(TaskStatus.QUEUED)).extracting(Task::id).containsExactly("t3", "t1", "t2");
        Task t1 = tasks.get("t1").orElseThrow();
        assertThat(t1.spec().payload()).isEqualTo(bytes("input-t1"));
        assertThat(t1.attempts()).isZero();
        assertThat(t1.submittedAt()).isEqualTo(clock().instant());
        assertThat(seen).extracting(StateChange::change).containsExactly("submitted", "submitted", "submitted");
        assertThat(seen).extracting(c -> ((Task) c.value()).id()).containsExactly("t3", "t1", "t2");
        assertThat(seen).extracting(StateChange::revision).isSorted().doesNotHaveDuplicates();
        assertThat(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow().taskId()).isEqualTo("t3");
    }

    @Test
    default void submitAll_prioritiesAndCapabilities_claimedAsIfSubmittedOneByOne() {
        TaskQueue tasks = state().tasks();

        tasks.submitAll(List.of(
                spec("low").withPriority(1),
                spec("gpu").withPriority(9).withRequiredCapabilities(Set.of("gpu")),
                spec("high").withPriority(8),
                spec("high2").withPriority(8).withMaxAttempts(5)));

        assertThat(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow().taskId()).isEqualTo("high");
        Lease second = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        assertThat(second.taskId()).isEqualTo("high2");
        assertThat(second.task().spec().maxAttempts()).isEqualTo(5);
        assertThat(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow().taskId()).isEqualTo("low");
        assertThat(tasks.claim(ALICE, Set.of(), LEASE)).isEmpty();
        Lease gpu = tasks.claim(BOB, Set.of("gpu"), LEASE).orElseThrow();
        assertThat(gpu.taskId()).isEqualTo("gpu");
        assertThat(gpu.task().spec().requiredCapabilities()).containsExactly("gpu");
    }

    @Test
    default void submitAll_emptyList_queuesNothing() {
        TaskQueue tasks = state().tasks();
        List<StateChange> seen = announcements("colony.task.>");

        assertThat(tasks.submitAll(List.of())).isEmpty();

        assertThat(tasks.count(TaskStatus.QUEUED)).isZero();
        assertThat(seen).isEmpty();
    }

    @Test
    default void submitAll_idsThatExist_skippedTheRestQueued() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("done"));
        tasks.complete(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow(), bytes("result"));
        tasks.submit(spec("waiting"));
        List<StateChange> seen = announcements("colony.task.>");

        List<String> queued = tasks.submitAll(List.of(
                TaskSpec.of("done", "other", bytes("new")), spec("fresh"), TaskSpec.of("waiting", "x", bytes("y"))));

        assertThat(queued).containsExactly("fresh");
        Task done = tasks.get("done").orElseThrow();
        assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(done.result()).isEqualTo(bytes("result"));
        assertThat(tasks.get("waiting").orElseThrow().spec().payload()).isEqualTo(bytes("input-waiting"));
        assertThat(seen).extracting(c -> ((Task) c.value()).id()).containsExactly("fresh");
    }

    @Test
    default void submitAll_sameListAgain_queuesNothingTheSecondTime() {
        TaskQueue tasks = state().tasks();
        List<TaskSpec> batch = List.of(spec("a"), spec("b"));

        assertThat(tasks.submitAll(batch)).containsExactly("a", "b");
        assertThat(tasks.submitAll(batch)).isEmpty();

        assertThat(tasks.byStatus(TaskStatus.QUEUED)).extracting(Task::id).containsExactly("a", "b");
    }

    @Test
    default void submitAll_idTwiceInTheList_throwsNamingItAndQueuesNothing() {
        TaskQueue tasks = state().tasks();

        assertThatThrownBy(() -> tasks.submitAll(List.of(spec("a"), spec("b"), spec("a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"a\"")
                .hasMessageContaining("twice");

        assertThat(tasks.get("a")).isEmpty();
        assertThat(tasks.get("b")).isEmpty();
    }

    @Test
    default void submitAll_nullListOrTask_throwsAndQueuesNothing() {
        TaskQueue tasks = state().tasks();

        assertThatThrownBy(() -> tasks.submitAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tasks.submitAll(Arrays.asList(spec("a"), null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("tasks[1]");

        assertThat(tasks.get("a")).isEmpty();
    }

    @Test
    default void submitAll_moreThanTheLimit_throwsAndQueuesNothing() {
        TaskQueue tasks = state().tasks();
        List<TaskSpec> tooMany = new ArrayList<>();
        for (int i = 0; i <= TaskQueue.MAX_BATCH; i++) {
            tooMany.add(spec("t" + i));
        }

        assertThatThrownBy(() -> tasks.submitAll(tooMany))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(TaskQueue.MAX_BATCH + 1))
                .hasMessageContaining(String.valueOf(TaskQueue.MAX_BATCH));

        assertThat(tasks.get("t0")).isEmpty();
        assertThat(tasks.submitAll(tooMany.subList(0, TaskQueue.MAX_BATCH))).hasSize(TaskQueue.MAX_BATCH);
        assertThat(tasks.count(TaskStatus.QUEUED)).isEqualTo(TaskQueue.MAX_BATCH);
    }

    /** The default method refuses an oversized payload when its turn comes; a backend that overrides, first. */
    @Test
    default void submitAll_oversizePayload_throwsNamingBothSizesAndDoesNotQueueIt() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withMaxValueBytes(8))
                .tasks();

        assertThatThrownBy(() -> tasks.submitAll(
                        List.of(TaskSpec.of("fits", "work", new byte[8]), TaskSpec.of("big", "work", new byte[9]))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"big\"")
                .hasMessageContaining("9")
                .hasMessageContaining("8");

        assertThat(tasks.get("big")).isEmpty();
    }

    /**
     * Producers submit batches from several threads while 8 workers claim and complete with {@code
     * completeAndClaim}: every task completed exactly once, none refused, none left.
     */
    @Test
    default void submitAll_batchesFromSeveralThreadsAndEightWorkers_everyTaskCompletedExactlyOnce() throws Exception {
        int producers = 4;
        int batches = 10;
        int batchSize = 50;
        int total = producers * batches * batchSize;
        TaskQueue tasks = state().tasks();
        AtomicIntegerArray completed = new AtomicIntegerArray(total);
        LongAdder notOk = new LongAdder();
        LongAdder done = new LongAdder();
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 8; w++) {
                AgentId worker = AgentId.of("worker-" + w);
                running.add(executor.submit(() -> work(tasks, worker, total, completed, done, notOk)));
            }
            List<Future<List<String>>> submitted = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                submitted.add(executor.submit(() -> produce(tasks, producer, batches, batchSize)));
            }
            for (Future<List<String>> ids : submitted) {
                assertThat(ids.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).hasSize(batches * batchSize);
            }
            for (Future<?> worker : running) {
                worker.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        assertThat(done.sum()).isEqualTo(total);
        assertThat(notOk.sum()).isZero();
        for (int i = 0; i < total; i++) {
            assertThat(completed.get(i)).as("completions of task %d", i).isEqualTo(1);
        }
        assertThat(tasks.count(TaskStatus.COMPLETED)).isEqualTo(total);
        assertThat(tasks.count(TaskStatus.QUEUED)).isZero();
        assertThat(tasks.count(TaskStatus.CLAIMED)).isZero();
    }

    private static List<String> produce(TaskQueue tasks, int producer, int batches, int batchSize) {
        List<String> ids = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<TaskSpec> batch = new ArrayList<>();
            for (int i = 0; i < batchSize; i++) {
                int seq = (producer * batches + b) * batchSize + i;
                batch.add(TaskSpec.of(String.valueOf(seq), "work", bytes("x")));
            }
            ids.addAll(tasks.submitAll(batch));
        }
        return ids;
    }

    /** Claims and completes until {@code total} tasks were done by all workers or the patience ran out. */
    private static void work(
            TaskQueue tasks, AgentId worker, int total, AtomicIntegerArray completed, LongAdder done, LongAdder notOk) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Optional<Lease> held = Optional.empty();
        while (done.sum() < total && System.nanoTime() < deadline) {
            if (held.isEmpty()) {
                held = tasks.claim(worker, Set.of(), LEASE);
                if (held.isEmpty()) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
                continue;
            }
            Lease lease = held.get();
            Handoff handoff = tasks.completeAndClaim(lease, bytes("ok"), Set.of(), LEASE);
            if (handoff.outcome() == LeaseOutcome.OK) {
                completed.incrementAndGet(Integer.parseInt(lease.taskId()));
                done.increment();
            } else {
                notOk.increment();
            }
            held = handoff.next();
        }
    }
}
