package dev.colony.bench;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.CoordinationState;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many tasks per second can {@value #WORKERS} workers claim and complete from the embedded task queue?
 *
 * <ul>
 *   <li>{@code claimComplete}: {@value #TASKS} tasks (priorities 0 to 9, no required capabilities) are
 *       submitted to a fresh state before each invocation (not measured); {@value #WORKERS} virtual-thread
 *       workers then claim (30 s lease) and complete until the queue is empty. Score: tasks claimed and
 *       completed per second, starting the workers included. Every task must end COMPLETED exactly once
 *       (checked after each invocation).
 *   <li>{@code claimCompleteWithCapabilities}: the same, with tasks needing one of four capabilities and
 *       each worker having two of them, so claims compare several capability groups.
 *   <li>Baseline {@code priorityBlockingQueue}: the same workers poll the same number of items from a JDK
 *       {@link PriorityBlockingQueue} and record each in a {@link ConcurrentHashMap}: no leases, no
 *       expiry, no announcements, no snapshots of task records.
 * </ul>
 *
 * <p>The state announces every change on its bus, which has no subscribers here.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TaskQueueBenchmark {
    static final int TASKS = 20_000;
    static final int WORKERS = 1_000;
    static final Duration LEASE = Duration.ofSeconds(30);
    static final List<String> CAPABILITIES = List.of("a", "b", "c", "d");

    @State(Scope.Thread)
    public static class Queue {
        final LongAdder completed = new LongAdder();
        final LongAdder refused = new LongAdder();
        EventBus bus;
        CoordinationState state;
        TaskQueue tasks;

        void fill(boolean withCapabilities) {
            bus = EventBus.create();
            state = CoordinationState.create(bus, StateOptions.defaults().withSweepInterval(Duration.ZERO));
            tasks = state.tasks();
            completed.reset();
            refused.reset();
            for (int i = 0; i < TASKS; i++) {
                TaskSpec spec = TaskSpec.of("t" + i, "work", new byte[16]).withPriority(i % 10);
                tasks.submit(
                        withCapabilities
                                ? spec.withRequiredCapabilities(Set.of(CAPABILITIES.get(i % CAPABILITIES.size())))
                                : spec);
            }
        }

        void check() {
            int done = state.tasks().byStatus(TaskStatus.COMPLETED).size();
            state.close();
            bus.close();
            if (completed.sum() != TASKS || refused.sum() != 0 || done != TASKS) {
                throw new IllegalStateException("expected " + TASKS + " completions, got " + completed.sum() + " OK, "
                        + refused.sum() + " refused, " + done + " tasks COMPLETED");
            }
        }
    }

    @State(Scope.Thread)
    public static class Plain extends Queue {
        @Setup(Level.Invocation)
        public void setUp() {
            fill(false);
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            check();
        }
    }

    @State(Scope.Thread)
    public static class WithCapabilities extends Queue {
        @Setup(Level.Invocation)
        public void setUp() {
            fill(true);
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            check();
        }
    }

    @State(Scope.Thread)
    public static class Baseline {
        record Item(int priority, long seq) {}

        final PriorityBlockingQueue<Item> queue = new PriorityBlockingQueue<>(
                TASKS, Comparator.comparingInt(Item::priority).reversed().thenComparingLong(Item::seq));
        final ConcurrentHashMap<Item, Boolean> done = new ConcurrentHashMap<>();

        @Setup(Level.Invocation)
        public void setUp() {
            done.clear();
            for (int i = 0; i < TASKS; i++) {
                queue.add(new Item(i % 10, i));
            }
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            if (done.size() != TASKS || !queue.isEmpty()) {
                throw new IllegalStateException("expected " + TASKS + " items done, got " + done.size());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long claimComplete(Plain queue) throws Exception {
        return drain(queue, worker -> Set.of());
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long claimCompleteWithCapabilities(WithCapabilities queue) throws Exception {
        return drain(queue, worker -> Set.of(CAPABILITIES.get(worker % 4), CAPABILITIES.get((worker + 1) % 4)));
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long priorityBlockingQueue(Baseline baseline) throws Exception {
        return run(worker -> () -> {
            for (Baseline.Item item = baseline.queue.poll(); item != null; item = baseline.queue.poll()) {
                baseline.done.put(item, Boolean.TRUE);
            }
        });
    }

    private static long drain(Queue queue, java.util.function.IntFunction<Set<String>> capabilities) throws Exception {
        byte[] result = new byte[16];
        return run(worker -> {
            AgentId agent = AgentId.of("worker-" + worker);
            Set<String> offered = capabilities.apply(worker);
            return () -> {
                for (Optional<Lease> lease = queue.tasks.claim(agent, offered, LEASE);
                        lease.isPresent();
                        lease = queue.tasks.claim(agent, offered, LEASE)) {
                    if (queue.tasks.complete(lease.get(), result) == LeaseOutcome.OK) {
                        queue.completed.increment();
                    } else {
                        queue.refused.increment();
                    }
                }
            };
        });
    }

    /** Runs {@value #WORKERS} virtual threads, each the work {@code worker} makes for its index; waits. */
    private static long run(java.util.function.IntFunction<Runnable> worker)
            throws InterruptedException, ExecutionException {
        List<Future<?>> futures = new ArrayList<>(WORKERS);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < WORKERS; w++) {
                futures.add(executor.submit(worker.apply(w)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return futures.size();
    }
}
