package dev.colony.bench;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentStatus;
import dev.colony.state.CoordinationState;
import dev.colony.state.StateOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does a heartbeat cost with 10,000 registered agents, and what does failure detection (a sweep
 * over all of them) cost? A heartbeat is a registry write under the state lock plus its announcement on
 * the bus ({@code colony.agent.<id>.heartbeat}); {@code watched} adds one DIRECT subscriber on
 * {@code colony.agent.*.heartbeat} that counts them, as a failure detector in another component would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class HeartbeatBenchmark {
    @Param({"10000"})
    int agents;

    @Param({"false", "true"})
    boolean watched;

    EventBus bus;
    CoordinationState state;
    AgentId[] ids;
    final DeliveryCounter seen = new DeliveryCounter();

    @Setup(Level.Trial)
    public void setUp() {
        bus = EventBus.create();
        state = CoordinationState.create(
                bus,
                StateOptions.defaults()
                        .withHeartbeatTimeout(Duration.ofHours(1))
                        .withSweepInterval(Duration.ZERO));
        ids = new AgentId[agents];
        for (int i = 0; i < agents; i++) {
            ids[i] = AgentId.of("agent-" + i);
            state.registry().register(ids[i], "worker", Set.of("cpu"), Map.of());
            state.registry().transition(ids[i], AgentStatus.IDLE);
        }
        if (watched) {
            bus.subscribe("colony.agent.*.heartbeat", event -> seen.increment());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (state.registry().byStatus(AgentStatus.IDLE).size() != agents) {
            throw new IllegalStateException("agents lost: "
                    + state.registry().byStatus(AgentStatus.IDLE).size());
        }
        state.close();
        bus.close();
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    @Threads(2)
    public boolean heartbeat(Cursor cursor) {
        int i = cursor.next++;
        if (cursor.next == agents) {
            cursor.next = 0;
        }
        if (!state.registry().heartbeat(ids[i])) {
            throw new IllegalStateException("heartbeat of a live agent refused");
        }
        return true;
    }

    /** One failure-detection pass over all agents (none is late): the cost of the periodic sweep. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @BenchmarkMode(Mode.AverageTime)
    public int sweep() {
        return state.sweep();
    }
}
