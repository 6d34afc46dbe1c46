package dev.colony.bench;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentChooser;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import dev.colony.state.AssignmentStrategy;
import dev.colony.state.CoordinationState;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskRetention;
import dev.colony.state.TaskSpec;
import dev.colony.wasm.DeployOptions;
import dev.colony.wasm.ExecutionMode;
import dev.colony.wasm.FailurePolicy;
import dev.colony.wasm.PluginHost;
import dev.colony.wasm.PluginLimits;
import dev.colony.wasm.PluginScorer;
import dev.colony.wasm.bench.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * What does a WebAssembly task scorer cost, beside the same scoring in Java and the built-in strategy? The
 * scoring is "fewest leases wins, ties to the earliest registered" everywhere, so all variants choose the
 * same agent (checked in {@code @Setup}).
 *
 * <ul>
 *   <li>The choice alone, {@value #AGENTS} candidates with 0 to {@value #AGENTS}-1 leases: {@code chooseJava}
 *       (an {@link AgentChooser} lambda over the candidates), {@code chooseWasmCompiled} and
 *       {@code chooseWasmInterpreted} (the example {@code c/fewest_leases.wasm} through {@link PluginScorer}:
 *       the task and every candidate encoded as JSON, the pool, the call, the scores read back);
 *       {@code scoreWasmCompiledPreEncoded}: the same call with the JSON encoded beforehand ({@link
 *       PluginScorer#score}), so the difference is the encoding's cost.
 *   <li>A whole assignment on the embedded state, {@value #AGENTS} working agents holding 0 to
 *       {@value #AGENTS}-1 leases: each operation submits a task, assigns it and completes its lease, so the
 *       state stays the same. {@code assignLeastLoaded} (the built-in strategy: one lock section),
 *       {@code assignJavaChooser} and {@code assignWasmScorer} ({@code TaskQueue.assign(AgentChooser, ...)}:
 *       an offer, the choice outside the lock, a conditional claim).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ScorerBenchmark {
    static final int AGENTS = 8;
    static final Duration LEASE = Duration.ofMinutes(10);
    static final AgentChooser FEWEST_LEASES = (task, candidates) -> Optional.of(candidates.stream()
            .min(Comparator.comparingInt(AgentChooser.Candidate::leases))
            .orElseThrow()
            .id());
    static final byte[] RESULT = {1};

    PluginHost host;
    PluginScorer compiled;
    PluginScorer interpreted;
    EventBus bus;
    CoordinationState state;
    TaskSpec task;
    List<AgentChooser.Candidate> candidates;
    byte[] taskJson;
    List<byte[]> candidatesJson;
    long next;

    @Setup(Level.Trial)
    public void setUp() {
        host = PluginHost.create();
        byte[] wasm = Workload.example("c/fewest_leases.wasm");
        host.deploy("compiled", wasm, null, options(ExecutionMode.COMPILED));
        host.deploy("interpreted", wasm, null, options(ExecutionMode.INTERPRETED));
        compiled = host.scorer("compiled", FailurePolicy.FAIL_CLOSED);
        interpreted = host.scorer("interpreted", FailurePolicy.FAIL_CLOSED);
        task = TaskSpec.of("render-1", "render", new byte[64]).withRequiredCapabilities(Set.of("gpu"));
        candidates = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            // the least loaded is in the middle, so no variant wins by looking at the first candidate only
            int leases = (i + AGENTS / 2) % AGENTS;
            AgentRecord agent = new AgentRecord(
                    AgentId.of("agent-" + i),
                    "worker",
                    Set.of("gpu", "cpu"),
                    Map.of("zone", "eu-west-" + i % 3),
                    AgentStatus.IDLE,
                    Instant.EPOCH,
                    Instant.EPOCH);
            candidates.add(new AgentChooser.Candidate(agent, leases));
        }
        candidates = List.copyOf(candidates);
        taskJson =
                "{\"id\":\"render-1\",\"type\":\"render\",\"priority\":5,\"required\":[\"gpu\"],\"payload_bytes\":64}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        candidatesJson = new ArrayList<>();
        for (AgentChooser.Candidate c : candidates) {
            candidatesJson.add(("{\"leases\":" + c.leases() + ",\"id\":\"" + c.id().value()
                            + "\",\"role\":\"worker\",\"capabilities\":[\"cpu\",\"gpu\"],\"status\":\"IDLE\","
                            + "\"metadata\":{\"zone\":\"" + c.agent().metadata().get("zone") + "\"}}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        double[] preEncoded = compiled.score(taskJson, candidatesJson);
        for (int i = 0; i < AGENTS; i++) {
            if (preEncoded[i] != -candidates.get(i).leases()) {
                throw new IllegalStateException("the pre-encoded scores are not minus the lease counts");
            }
        }
        Optional<AgentId> expected = FEWEST_LEASES.choose(task, candidates);
        if (!compiled.choose(task, candidates).equals(expected)
                || !interpreted.choose(task, candidates).equals(expected)) {
            throw new IllegalStateException("the WASM scorer and the Java chooser disagree");
        }

        bus = EventBus.create();
        state = CoordinationState.create(
                bus,
                StateOptions.defaults()
                        .withSweepInterval(Duration.ZERO)
                        .withTaskRetention(TaskRetention.of(TaskRetention.Keep.last(1_000))));
        for (int i = 0; i < AGENTS; i++) {
            AgentId id = AgentId.of("agent-" + i);
            state.registry().register(id, "worker", Set.of("gpu", "cpu"), Map.of());
            state.registry().transition(id, AgentStatus.IDLE);
            int leases = (i + AGENTS / 2) % AGENTS;
            for (int k = 0; k < leases; k++) {
                state.tasks().submit(TaskSpec.of("held-" + i + "-" + k, "work", new byte[0]));
                state.tasks().claim(id, Set.of(), LEASE).orElseThrow();
            }
        }
        String byStrategy = assignOnce(t -> state.tasks().assign(AssignmentStrategy.LEAST_LOADED, LEASE, null));
        String byJava = assignOnce(t -> state.tasks().assign(FEWEST_LEASES, LEASE, null));
        String byWasm = assignOnce(t -> state.tasks().assign(compiled, LEASE, null));
        if (!byStrategy.equals(byJava) || !byStrategy.equals(byWasm)) {
            throw new IllegalStateException(
                    "the assignments disagree: " + byStrategy + " / " + byJava + " / " + byWasm);
        }
    }

    private static DeployOptions options(ExecutionMode mode) {
        return DeployOptions.defaults()
                .withMode(mode)
                .withLimits(PluginLimits.scorer()
                        .withPoolSize(1)
                        .withDeadline(Duration.ofSeconds(10))
                        .withRecycleAfterCalls(Long.MAX_VALUE));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
        bus.close();
        host.close();
    }

    private String assignOnce(java.util.function.Function<TaskSpec, Optional<Lease>> assign) {
        TaskSpec spec = TaskSpec.of("t" + next++, "render", new byte[64]).withRequiredCapabilities(Set.of("gpu"));
        state.tasks().submit(spec);
        Lease lease = assign.apply(spec).orElseThrow(() -> new IllegalStateException("nothing assigned"));
        if (state.tasks().complete(lease, RESULT) != LeaseOutcome.OK) {
            throw new IllegalStateException("the lease of " + lease.taskId() + " was refused");
        }
        return lease.holder().value();
    }

    @Benchmark
    public Optional<AgentId> chooseJava() {
        return FEWEST_LEASES.choose(task, candidates);
    }

    @Benchmark
    public Optional<AgentId> chooseWasmCompiled() {
        return compiled.choose(task, candidates);
    }

    @Benchmark
    public double[] scoreWasmCompiledPreEncoded() {
        return compiled.score(taskJson, candidatesJson);
    }

    @Benchmark
    public Optional<AgentId> chooseWasmInterpreted() {
        return interpreted.choose(task, candidates);
    }

    @Benchmark
    public String assignLeastLoaded() {
        return assignOnce(t -> state.tasks().assign(AssignmentStrategy.LEAST_LOADED, LEASE, null));
    }

    @Benchmark
    public String assignJavaChooser() {
        return assignOnce(t -> state.tasks().assign(FEWEST_LEASES, LEASE, null));
    }

    @Benchmark
    public String assignWasmScorer() {
        return assignOnce(t -> state.tasks().assign(compiled, LEASE, null));
    }
}
