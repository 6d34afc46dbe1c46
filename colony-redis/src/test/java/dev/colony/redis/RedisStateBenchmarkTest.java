package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.CoordinationState;
import dev.colony.state.Handoff;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Task throughput over Redis against redis-benchmark on the same server in the same run. Runs only with
 * {@code -Dcolony.bench=true} (it is a measurement, not a test of behaviour; the counts are still checked):
 *
 * <pre>./mvnw -B -q -o -pl colony-redis -am -Dcolony.bench=true -Dtest=RedisStateBenchmarkTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false test</pre>
 */
@EnabledIfSystemProperty(named = "colony.bench", matches = "true")
class RedisStateBenchmarkTest {
    private static final int TASKS = Integer.getInteger("colony.bench.tasks", 20_000);

    @Test
    @org.junit.jupiter.api.Timeout(value = 15, unit = TimeUnit.MINUTES)
    void taskCycles_versusRedisBenchmark() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            for (int workers : new int[] {8, 32}) {
                for (Mode mode : Mode.values()) {
                    server.command("CONFIG RESETSTAT");
                    cycles(server, workers, mode);
                    commandStats(server);
                }
            }
            String prefix = server.target("bench-empty").key("s:");
            String claimSha = sha1(new RedisStateScripts(null, prefix).source("task_claim"));
            try (RedisLink link = RedisLink.open(server.target("bench-empty"));
                    EventBus bus = EventBus.create();
                    CoordinationState empty =
                            RedisState.open(link, bus, StateOptions.defaults().withSweepInterval(Duration.ZERO))) {
                assertThat(empty.tasks().claim(AgentId.of("x"), Set.of(), Duration.ofSeconds(1)))
                        .isEmpty(); // loads the scripts
            }
            redisBenchmark(server.port(), "-t", "lpush,rpop");
            redisBenchmark(
                    server.port(),
                    "EVALSHA",
                    claimSha,
                    "1",
                    prefix,
                    Long.toString(System.currentTimeMillis()),
                    "bench",
                    "30000");
            redisBenchmark(
                    server.port(),
                    "FCALL",
                    RedisFunctions.function("task_claim"),
                    "1",
                    prefix,
                    Long.toString(System.currentTimeMillis()),
                    "bench",
                    "30000");
        }
    }

    private static void commandStats(RedisServer server) {
        for (String line : server.command("INFO commandstats").split("[\r\n]+")) {
            if (line.startsWith("cmdstat_evalsha") || line.startsWith("cmdstat_fcall")) {
                System.out.println("  server side: " + line);
            }
        }
    }

    /** How the workers call: claim and complete by EVALSHA or FCALL, or completeAndClaim by FCALL (ADR 0063). */
    private enum Mode {
        EVALSHA,
        FCALL,
        HANDOFF
    }

    private static void cycles(RedisServer server, int workers, Mode mode) throws Exception {
        boolean evalsha = mode == Mode.EVALSHA;
        String swarm = "bench-" + workers + "-" + mode.name().toLowerCase(java.util.Locale.ROOT);
        try (RedisLink link = RedisLink.open(server.target(swarm));
                EventBus bus = EventBus.create();
                CoordinationState state =
                        RedisState.open(link, bus, StateOptions.defaults().withSweepInterval(Duration.ZERO))) {
            if (evalsha) {
                ((RedisState) state).scripts.useEvalsha();
            }
            byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
            AtomicInteger nextId = new AtomicInteger();
            long start = System.nanoTime();
            run(workers, () -> {
                for (int i = nextId.getAndIncrement(); i < TASKS; i = nextId.getAndIncrement()) {
                    state.tasks().submit(TaskSpec.of("t" + i, "work", payload));
                }
            });
            long submitted = System.nanoTime();
            LongAdder completed = new LongAdder();
            run(workers, () -> {
                AgentId agent = AgentId.of("w" + Thread.currentThread().threadId());
                Optional<Lease> next = state.tasks().claim(agent, Set.of(), Duration.ofMinutes(5));
                while (next.isPresent()) {
                    if (mode == Mode.HANDOFF) {
                        Handoff handoff =
                                state.tasks().completeAndClaim(next.get(), payload, Set.of(), Duration.ofMinutes(5));
                        if (handoff.outcome() == LeaseOutcome.OK) {
                            completed.increment();
                        }
                        next = handoff.next();
                    } else {
                        if (state.tasks().complete(next.get(), payload) == LeaseOutcome.OK) {
                            completed.increment();
                        }
                        next = state.tasks().claim(agent, Set.of(), Duration.ofMinutes(5));
                    }
                }
            });
            long end = System.nanoTime();
            assertThat(completed.sum()).isEqualTo(TASKS);
            assertThat(state.tasks().byStatus(TaskStatus.COMPLETED)).hasSize(TASKS);
            double submitSeconds = (submitted - start) / 1e9;
            double cycleSeconds = (end - submitted) / 1e9;
            System.out.printf(
                    "redis state by %s, %d workers, %d tasks: submit %.0f/s; claim+complete %.0f/s;"
                            + " submit+claim+complete %.0f tasks/s%n",
                    mode == Mode.HANDOFF ? "FCALL completeAndClaim" : mode.name(),
                    workers,
                    TASKS,
                    TASKS / submitSeconds,
                    TASKS / cycleSeconds,
                    TASKS / (submitSeconds + cycleSeconds));
        }
    }

    private static void run(int threads, Runnable body) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(body));
            }
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
        }
    }

    private static void redisBenchmark(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("redis-benchmark", "-p", Integer.toString(port), "-P", "16", "-n", "200000", "-q"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(5, TimeUnit.MINUTES);
        System.out.println("$ " + String.join(" ", command));
        for (String line : output.split("[\r\n]+")) {
            if (!line.isBlank() && !line.contains("rps=")) {
                System.out.println(line.strip());
            }
        }
    }

    private static String sha1(String source) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8)));
    }
}
