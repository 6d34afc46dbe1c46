package dev.colony.state;

import static dev.colony.bus.BusTesting.PATIENCE;
import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link TaskQueueContract}: a claim of several tasks and a completion of several with the next claims
 * in one call (ADR 0072): the same effects and announcements as the single calls in turn.
 */
public interface TaskBatchClaimContract extends StateFixture {

    private static TaskSpec spec(String id) {
        return TaskSpec.of(id, "work", bytes("input-" + id));
    }

    @Test
    default void claimMax_queuedTasks_upToMaxInClaimOrderEachWithItsOwnLease() {
        TaskQueue tasks = state().tasks();
        tasks.submitAll(List.of(spec("a"), spec("b").withPriority(9), spec("c"), spec("d")));

        List<Lease> leases = tasks.claim(ALICE, Set.of(), Duration.ofSeconds(7), 3);

        assertThat(leases).extracting(Lease::taskId).containsExactly("b", "a", "c");
        assertThat(leases).extracting(Lease::token).doesNotHaveDuplicates();
        assertThat(leases).allSatisfy(lease -> {
            assertThat(lease.holder()).isEqualTo(ALICE);
            assertThat(lease.expiresAt()).isEqualTo(clock().instant().plus(Duration.ofSeconds(7)));
        });
        assertThat(tasks.leasesOf(ALICE)).hasSize(3);
        assertThat(tasks.get("d").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(tasks.claim(BOB, Set.of(), LEASE, 5))
                .extracting(Lease::taskId)
                .containsExactly("d");
        assertThat(tasks.claim(BOB, Set.of(), LEASE, 5)).isEmpty();
    }

    @Test
    default void claimMax_capabilities_onlyTasksTheyCover() {
        TaskQueue tasks = state().tasks();
        tasks.submitAll(List.of(spec("gpu").withRequiredCapabilities(Set.of("gpu")), spec("plain")));

        assertThat(tasks.claim(ALICE, Set.of(), LEASE, 10))
                .extracting(Lease::taskId)
                .containsExactly("plain");
        assertThat(tasks.claim(BOB, Set.of("gpu"), LEASE, 10))
                .extracting(Lease::taskId)
                .containsExactly("gpu");
    }

    @Test
    default void claimMax_badArguments_throwAndClaimNothing() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));

        assertThatThrownBy(() -> tasks.claim(ALICE, Set.of(), LEASE, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> tasks.claim(ALICE, Set.of(), LEASE, TaskQueue.MAX_BATCH + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(TaskQueue.MAX_BATCH + 1));
        assertThatThrownBy(() -> tasks.claim(ALICE, Set.of(), Duration.ZERO, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease");
        assertThatThrownBy(() -> tasks.claim(null, Set.of(), LEASE, 2)).isInstanceOf(NullPointerException.class);

        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    default void completeAndClaimMany_completesInOrderThenClaimsAndAnnouncesSo() {
        TaskQueue tasks = state().tasks();
        tasks.submitAll(List.of(spec("a"), spec("b"), spec("c"), spec("d"), spec("e")));
        List<Lease> held = tasks.claim(ALICE, Set.of(), LEASE, 2);
        List<StateChange> seen = announcements("colony.task.>");

        Handoffs handoffs = tasks.completeAndClaim(
                ALICE,
                List.of(new Completion(held.get(0), bytes("done-a")), new Completion(held.get(1), bytes("done-b"))),
                Set.of(),
                LEASE,
                2);

        assertThat(handoffs.outcomes()).containsExactly(LeaseOutcome.OK, LeaseOutcome.OK);
        assertThat(tasks.get("a").orElseThrow().result()).isEqualTo(bytes("done-a"));
        assertThat(tasks.get("b").orElseThrow().result()).isEqualTo(bytes("done-b"));
        assertThat(handoffs.next()).extracting(Lease::taskId).containsExactly("c", "d");
        assertThat(handoffs.next())
                .allSatisfy(lease -> assertThat(lease.holder()).isEqualTo(ALICE));
        assertThat(seen)
                .extracting(StateChange::change)
                .containsExactly("completed", "completed", "claimed", "claimed");
        assertThat(seen).extracting(c -> ((Task) c.value()).id()).containsExactly("a", "b", "c", "d");
        assertThat(seen).extracting(StateChange::revision).isSorted().doesNotHaveDuplicates();
    }

    @Test
    default void completeAndClaimMany_staleAndRepeatedLeases_anOutcomeEachAndTheClaimStillMade() {
        TaskQueue tasks = state().tasks();
        tasks.submitAll(List.of(spec("a"), spec("b")));
        Lease a = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        tasks.submit(spec("later"));

        Handoffs handoffs = tasks.completeAndClaim(
                ALICE, List.of(new Completion(a, bytes("1")), new Completion(a, bytes("2"))), Set.of(), LEASE, 5);

        assertThat(handoffs.outcomes()).containsExactly(LeaseOutcome.OK, LeaseOutcome.NOT_CLAIMED);
        assertThat(tasks.get("a").orElseThrow().result()).isEqualTo(bytes("1"));
        assertThat(handoffs.next()).extracting(Lease::taskId).containsExactly("b", "later");
    }

    @Test
    default void completeAndClaimMany_noCompletions_onlyClaims() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("a"));

        Handoffs handoffs = tasks.completeAndClaim(BOB, List.of(), Set.of(), LEASE, 3);

        assertThat(handoffs.outcomes()).isEmpty();
        assertThat(handoffs.next()).extracting(Lease::taskId).containsExactly("a");
        assertThat(tasks.completeAndClaim(BOB, List.of(), Set.of(), LEASE, 3).next())
                .isEmpty();
    }

    @Test
    default void completeAndClaimMany_badArguments_throwAndChangeNothing() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withMaxValueBytes(8))
                .tasks();
        tasks.submitAll(List.of(spec("a"), spec("b")));
        Lease a = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        List<Completion> one = List.of(new Completion(a, bytes("ok")));

        assertThatThrownBy(() ->
                        tasks.completeAndClaim(ALICE, List.of(new Completion(a, new byte[9])), Set.of(), LEASE, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9")
                .hasMessageContaining("8");
        assertThatThrownBy(() -> tasks.completeAndClaim(ALICE, one, Set.of(), LEASE, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max");
        assertThatThrownBy(() -> tasks.completeAndClaim(ALICE, one, Set.of(), Duration.ofSeconds(-1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nextLease");
        assertThatThrownBy(() -> tasks.completeAndClaim(ALICE, null, Set.of(), LEASE, 1))
                .isInstanceOf(NullPointerException.class);
        List<Completion> tooMany = new ArrayList<>();
        for (int i = 0; i <= TaskQueue.MAX_BATCH; i++) {
            tooMany.add(new Completion(a, bytes("ok")));
        }
        assertThatThrownBy(() -> tasks.completeAndClaim(ALICE, tooMany, Set.of(), LEASE, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(TaskQueue.MAX_BATCH + 1));

        assertThat(tasks.get("a").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(tasks.get("b").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    /**
     * Producers submit batches from several threads while 8 workers take up to 8 tasks per call and complete
     * them with the next claims in one call: every task completed exactly once, none refused, none left.
     */
    @Test
    default void completeAndClaimMany_batchesFromSeveralThreadsAndEightWorkers_everyTaskCompletedExactlyOnce()
            throws Exception {
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
            for (int p = 0; p < producers; p++) {
                int producer = p;
                running.add(executor.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        List<TaskSpec> batch = new ArrayList<>();
                        for (int i = 0; i < batchSize; i++) {
                            int seq = (producer * batches + b) * batchSize + i;
                            batch.add(TaskSpec.of(String.valueOf(seq), "work", bytes("x")));
                        }
                        assertThat(tasks.submitAll(batch)).hasSize(batchSize);
                    }
                }));
            }
            for (Future<?> task : running) {
                task.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
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

    private static void work(
            TaskQueue tasks, AgentId worker, int total, AtomicIntegerArray completed, LongAdder done, LongAdder notOk) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<Lease> held = List.of();
        while (done.sum() < total && System.nanoTime() < deadline) {
            List<Completion> finished = new ArrayList<>(held.size());
            for (Lease lease : held) {
                finished.add(new Completion(lease, bytes("ok")));
            }
            Handoffs handoffs = tasks.completeAndClaim(worker, finished, Set.of(), LEASE, 8);
            for (int i = 0; i < held.size(); i++) {
                if (handoffs.outcomes().get(i) == LeaseOutcome.OK) {
                    completed.incrementAndGet(Integer.parseInt(held.get(i).taskId()));
                    done.increment();
                } else {
                    notOk.increment();
                }
            }
            held = handoffs.next();
            if (held.isEmpty()) {
                Thread.yield();
            }
        }
    }
}
