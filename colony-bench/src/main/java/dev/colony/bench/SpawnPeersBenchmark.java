package dev.colony.bench;

import dev.colony.Colony;
import dev.colony.agent.AgentHandle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bringing up a swarm: {@value #AGENTS} addressable, idle agents, Colony beside Pekko typed actors and
 * Vert.x verticles.
 *
 * <ul>
 *   <li>{@code spawn} (single shot, milliseconds, {@code swarm} = colony, pekko or vertx): from a fresh,
 *       started system, spawn {@value #AGENTS} and wait until every one is running: Colony agents RUNNING
 *       (registered, inbox handler attached); Pekko actors (children of the guardian, default
 *       dispatcher) that ran their setup; Vert.x verticles deployed, each with a local consumer at its
 *       own address.
 *   <li>{@link #main}: heap per idle agent, by one method for all three: used heap after full GCs
 *       (MemoryMXBean) in the started system, then again with {@value #AGENTS} agents running, the
 *       difference divided by {@value #AGENTS}; a warm-up swarm is spawned and closed first. Writes JSON
 *       when given a file name.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SpawnPeersBenchmark {
    static final int AGENTS = 10_000;

    /** One system that can hold a swarm. */
    sealed interface Swarm extends AutoCloseable permits ColonySwarm, PekkoSwarm, VertxSwarm {
        /** Spawns {@code count} idle agents and returns once every one is running; returns what keeps them. */
        Object spawn(int count);

        @Override
        void close();

        static Swarm open(String kind) {
            return switch (kind) {
                case "colony" -> new ColonySwarm(Colony.embedded());
                case "pekko" -> new PekkoSwarm(new PekkoPeer("swarm"));
                case "vertx" -> new VertxSwarm(Vertx.vertx());
                default -> throw new IllegalArgumentException("swarm must be colony, pekko or vertx, got " + kind);
            };
        }
    }

    record ColonySwarm(Colony colony) implements Swarm {
        @Override
        public Object spawn(int count) {
            List<AgentHandle> handles = SpawnBenchmark.spawnAll(colony, "agent-");
            SpawnBenchmark.awaitRunning(handles);
            if (handles.size() != count) {
                throw new IllegalStateException(handles.size() + " agents, expected " + count);
            }
            return handles;
        }

        @Override
        public void close() {
            colony.close();
        }
    }

    record PekkoSwarm(PekkoPeer pekko) implements Swarm {
        @Override
        public Object spawn(int count) {
            CountDownLatch running = new CountDownLatch(count);
            Behavior<Object> idle = Behaviors.setup(context -> {
                running.countDown();
                return Behaviors.receiveMessage(message -> Behaviors.same());
            });
            Object refs = pekko.spawn(idle, "agent-", count);
            await(running);
            return refs;
        }

        @Override
        public void close() {
            pekko.close();
        }
    }

    record VertxSwarm(Vertx vertx) implements Swarm {
        @Override
        public Object spawn(int count) {
            List<Future<String>> deployed = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String address = "agent-" + i;
                deployed.add(vertx.deployVerticle(new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        return vertx.eventBus()
                                .localConsumer(address, message -> {})
                                .completion();
                    }
                }));
            }
            VertxPeer.await(Future.all(deployed));
            if (vertx.deploymentIDs().size() != count) {
                throw new IllegalStateException(vertx.deploymentIDs().size() + " verticles, expected " + count);
            }
            return deployed;
        }

        @Override
        public void close() {
            VertxPeer.await(vertx.close());
        }
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(latch.getCount() + " agents did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @State(Scope.Thread)
    public static class System {
        @Param({"colony", "pekko", "vertx"})
        public String swarm;

        Swarm open;

        @Setup(Level.Invocation)
        public void setUp() {
            open = Swarm.open(swarm);
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            open.close();
        }
    }

    @Benchmark
    public Object spawn(System system) {
        return system.open.spawn(AGENTS);
    }

    /**
     * Heap per idle agent for each swarm kind; {@code args[0]}, if given, is a JSON file to write. Run with
     * {@code java -Xms2g -Xmx2g -cp colony-bench/target/benchmarks.jar dev.colony.bench.SpawnPeersBenchmark}.
     */
    public static void main(String[] args) throws IOException {
        Map<String, Long> perAgent = new LinkedHashMap<>();
        for (String kind : List.of("colony", "pekko", "vertx")) {
            try (Swarm warmUp = Swarm.open(kind)) {
                warmUp.spawn(AGENTS); // class loading and JIT, not measured
            }
            try (Swarm swarm = Swarm.open(kind)) {
                long before = usedAfterGc();
                Object agents = swarm.spawn(AGENTS);
                long after = usedAfterGc();
                Reference.reachabilityFence(agents);
                perAgent.put(kind, (after - before) / AGENTS);
            }
            java.lang.System.out.printf("%s: %,d B of heap per idle agent%n", kind, perAgent.get(kind));
        }
        if (args.length > 0) {
            StringBuilder json = new StringBuilder("{\"agents\": " + AGENTS + ", \"heap_bytes_per_agent\": {");
            perAgent.forEach((kind, bytes) ->
                    json.append('"').append(kind).append("\": ").append(bytes).append(", "));
            json.setLength(json.length() - 2);
            json.append("}}\n");
            Files.writeString(Path.of(args[0]), json, StandardCharsets.UTF_8);
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            java.lang.System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
