package dev.colony.state;

import static dev.colony.bus.BusTesting.PATIENCE;
import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link TaskQueueContract}: a claim that waits when nothing is claimable (ADR 0076). The waits given are
 * far longer than {@link dev.colony.bus.BusTesting#PATIENCE}, the bound each test waits for its outcome: a waiter
 * that slept through a task it could take would fail the test instead of returning at the end of its wait.
 */
public interface TaskClaimWaitContract extends StateFixture {
    /** Far longer than any test waits: only a wake-up (or a claimable task) ends a claim within PATIENCE. */
    Duration LONG_WAIT = Duration.ofMinutes(10);

    private static TaskSpec spec(String id) {
        return TaskSpec.of(id, "work", bytes("input-" + id));
    }

    @Test
    default void claimWait_claimableNow_claimsUpToMaxWithoutWaiting() {
        TaskQueue tasks = state().tasks();
        tasks.submitAll(List.of(spec("a"), spec("b").withPriority(9), spec("c")));

        List<Lease> leases = tasks.claim(ALICE, Set.of(), LEASE, 2, LONG_WAIT);

        assertThat(leases).extracting(Lease::taskId).containsExactly("b", "a");
        assertThat(leases).allSatisfy(lease -> assertThat(lease.holder()).isEqualTo(ALICE));
    }

    @Test
    default void claimWait_nothingWithinTheWait_returnsEmpty() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("gpu").withRequiredCapabilities(Set.of("gpu")));

        assertThat(tasks.claim(ALICE, Set.of(), LEASE, 3, Duration.ZERO)).isEmpty();
        assertThat(tasks.claim(ALICE, Set.of(), LEASE, 3, Duration.ofMillis(30)))
                .isEmpty();
        assertThat(tasks.get("gpu").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    default void claimWait_taskSubmittedWhileWaiting_claimedByTheWaiter() throws Exception {
        TaskQueue tasks = state().tasks();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<Lease>> waiting = executor.submit(() -> tasks.claim(ALICE, Set.of("gpu"), LEASE, 5, LONG_WAIT));
            tasks.submit(spec("plain"));
            tasks.submit(spec("gpu").withRequiredCapabilities(Set.of("gpu")));

            List<Lease> got = waiting.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(got)
                    .isNotEmpty()
                    .allSatisfy(lease -> assertThat(lease.holder()).isEqualTo(ALICE));
            assertThat(got).extracting(Lease::taskId).isSubsetOf("plain", "gpu");
        }
    }

    @Test
    default void claimWait_waitersWithDifferentCapabilities_eachGetsATaskItCovers() throws Exception {
        TaskQueue tasks = state().tasks();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<Lease>> gpuWaiter = executor.submit(() -> tasks.claim(BOB, Set.of("gpu"), LEASE, 1, LONG_WAIT));
            Future<List<Lease>> plainWaiter = executor.submit(() -> tasks.claim(ALICE, Set.of(), LEASE, 1, LONG_WAIT));
            tasks.submit(spec("g").withRequiredCapabilities(Set.of("gpu")));
            tasks.submit(spec("p"));

            List<Lease> gpu = gpuWaiter.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            List<Lease> plain = plainWaiter.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(plain).extracting(Lease::taskId).containsExactly("p");
            assertThat(gpu).extracting(Lease::taskId).containsExactly("g");
            assertThat(tasks.count(TaskStatus.CLAIMED)).isEqualTo(2);
        }
    }

    @Test
    default void claimWait_badArguments_throwAndClaimNothing() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));

        assertThatThrownBy(() -> tasks.claim(ALICE, Set.of(), LEASE, 1, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wait")
                .hasMessageContaining("-0.001");
        assertThatThrownBy(() -> tasks.claim(ALICE, Set.of(), LEASE, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tasks.claim(ALICE, Set.of(), LEASE, 0, LONG_WAIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max");
        assertThatThrownBy(() -> tasks.claim(ALICE, Set.of(), Duration.ZERO, 1, LONG_WAIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease");

        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    /**
     * 8 workers wait (10 min each time) while one producer submits 400 tasks one by one and in small batches
     * with random pauses (fixed, logged seed), so that submits land before, during and after the workers' empty
     * claims; then one stop task per worker. Every task is completed exactly once and every worker stops: a
     * lost wake-up would leave a worker waiting past the test's bound.
     */
    @Test
    default void claimWait_eightWaitingWorkersAndARacingProducer_everyTaskCompletedExactlyOnce() throws Exception {
        long seed = 76_2026_12_08L;
        System.out.println("claimWait race: seed " + seed);
        Random random = new Random(seed);
        int total = 400;
        int workers = 8;
        TaskQueue tasks = state().tasks();
        AtomicIntegerArray completed = new AtomicIntegerArray(total);
        LongAdder notOk = new LongAdder();
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < workers; w++) {
                AgentId worker = AgentId.of("waiter-" + w);
                running.add(executor.submit(() -> waitAndWork(tasks, worker, completed, notOk)));
            }
            int next = 0;
            while (next < total) {
                int size = Math.min(total - next, 1 + random.nextInt(3));
                List<TaskSpec> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add(spec("w-" + (next + i)));
                }
                if (size == 1) {
                    tasks.submit(batch.getFirst());
                } else {
                    assertThat(tasks.submitAll(batch)).hasSize(size);
                }
                next += size;
                if (random.nextInt(4) == 0) {
                    Thread.sleep(random.nextInt(3));
                }
            }
            for (int w = 0; w < workers; w++) {
                tasks.submit(spec("stop-" + w));
            }
            for (Future<?> f : running) {
                f.get(PATIENCE.toMillis() * 4, TimeUnit.MILLISECONDS);
            }
        }
        for (int i = 0; i < total; i++) {
            assertThat(completed.get(i)).as("completions of w-" + i).isEqualTo(1);
        }
        assertThat(notOk.sum()).isZero();
        assertThat(tasks.count(TaskStatus.COMPLETED)).isEqualTo(total + workers);
        assertThat(tasks.count(TaskStatus.QUEUED)).isZero();
    }

    private static Void waitAndWork(TaskQueue tasks, AgentId worker, AtomicIntegerArray completed, LongAdder notOk) {
        while (true) {
            List<Lease> got = tasks.claim(worker, Set.of(), LEASE, 1, LONG_WAIT);
            for (Lease lease : got) {
                if (tasks.complete(lease, bytes("ok")) != LeaseOutcome.OK) {
                    notOk.increment();
                }
                if (lease.taskId().startsWith("stop-")) {
                    return null;
                }
                completed.incrementAndGet(Integer.parseInt(lease.taskId().substring(2)));
            }
        }
    }
}
