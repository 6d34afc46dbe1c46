package dev.colony.bench;

import dev.colony.Colony;
import dev.colony.agent.AgentHandle;
import dev.colony.agent.AgentRunState;
import dev.colony.agent.AgentSpec;
import dev.colony.agent.Behavior;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Messenger;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long does it take to bring up a swarm, and what does an idle agent weigh?
 *
 * <ul>
 *   <li>{@code spawn}: spawns {@value #AGENTS} agents into a fresh colony and waits until every one is
 *       RUNNING (onStart returned, registered IDLE, inbox handler attached); single shot, milliseconds.
 *       Baseline {@code virtualThreads}: start {@value #AGENTS} virtual threads that park, and wait until
 *       all are parked: the floor for one thread per agent.
 *   <li>{@link #main}: heap per idle agent (used heap after GC, before and after spawning, divided), with
 *       the registry record and the inbox alone beside it to show what dominates. Run with
 *       {@code java -cp colony-bench/target/benchmarks.jar dev.colony.bench.SpawnBenchmark}.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SpawnBenchmark {
    static final int AGENTS = 10_000;
    static final Behavior IDLE = (ctx, message) -> {};

    @State(Scope.Thread)
    public static class Swarm {
        Colony colony;

        @Setup(Level.Invocation)
        public void setUp() {
            colony = Colony.embedded();
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            colony.close();
        }
    }

    @Benchmark
    public List<AgentHandle> spawn(Swarm swarm) {
        List<AgentHandle> handles = spawnAll(swarm.colony, "agent-");
        awaitRunning(handles);
        return handles;
    }

    @Benchmark
    public int virtualThreads() throws InterruptedException {
        List<Thread> threads = new ArrayList<>(AGENTS);
        CountDownLatch running = new CountDownLatch(AGENTS);
        for (int i = 0; i < AGENTS; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                running.countDown();
                LockSupport.park();
            }));
        }
        running.await();
        for (Thread thread : threads) {
            LockSupport.unpark(thread);
            thread.join();
        }
        return threads.size();
    }

    static List<AgentHandle> spawnAll(Colony colony, String prefix) {
        List<AgentHandle> handles = new ArrayList<>(AGENTS);
        for (int i = 0; i < AGENTS; i++) {
            handles.add(colony.spawn(AgentSpec.of(AgentId.of(prefix + i), "worker"), IDLE));
        }
        return handles;
    }

    static void awaitRunning(List<AgentHandle> handles) {
        for (AgentHandle handle : handles) {
            while (handle.status() != AgentRunState.RUNNING) {
                LockSupport.parkNanos(10_000); // spinning would take a core from the carriers
            }
        }
    }

    /** Heap per idle agent, and per registry record and per attached inbox alone. */
    public static void main(String[] args) {
        for (int round = 0; round < 3; round++) { // the first rounds warm up class loading and JIT
            try (Colony colony = Colony.embedded()) {
                long before = usedAfterGc();
                for (int i = 0; i < AGENTS; i++) {
                    colony.registry().register(AgentId.of("r" + i), "worker", Set.of(), Map.of());
                }
                long registry = usedAfterGc() - before;

                before = usedAfterGc();
                Messenger messenger = colony.messenger();
                for (int i = 0; i < AGENTS; i++) {
                    messenger.open(AgentId.of("i" + i)).attach(message -> {});
                }
                long inboxes = usedAfterGc() - before;

                before = usedAfterGc();
                long start = System.nanoTime();
                List<AgentHandle> handles = spawnAll(colony, "a");
                awaitRunning(handles);
                long spawnNanos = System.nanoTime() - start;
                long agents = usedAfterGc() - before;

                System.out.printf(
                        "round %d: %,d agents RUNNING in %.1f ms; heap per agent %,d B (registry record alone %,d B,"
                                + " attached inbox alone %,d B)%n",
                        round, AGENTS, spawnNanos / 1e6, agents / AGENTS, registry / AGENTS, inboxes / AGENTS);
            }
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
