package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentStatus;
import dev.colony.state.AssignmentStrategy;
import dev.colony.state.CoordinationState;
import dev.colony.state.Lease;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A WebAssembly scorer inside Colony's assignment path: {@code TaskQueue.assign(PluginScorer, ...)} on the
 * embedded state (the Redis backend runs the same {@code AssignmentRounds}; its contract suite covers it).
 */
class ScorerAssignmentTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final EventBus bus = EventBus.create();
    private final PluginHost host = PluginHost.builder().bus(bus).build();
    private final List<CoordinationState> states = new ArrayList<>();
    private final DeployOptions slow =
            DeployOptions.defaults().withLimits(PluginLimits.scorer().withDeadline(Duration.ofSeconds(5)));

    @AfterEach
    void close() {
        states.forEach(CoordinationState::close);
        host.close();
        bus.close();
    }

    /** Five agents (the third lacks gpu, the fourth never started), two held leases, twelve tasks. */
    private CoordinationState swarm() {
        CoordinationState state = CoordinationState.create(bus, StateOptions.defaults());
        states.add(state);
        for (int a = 0; a < 5; a++) {
            AgentId id = AgentId.of("agent-" + a);
            state.registry().register(id, "worker", a == 2 ? Set.of("cpu") : Set.of("gpu", "cpu"), Map.of());
            if (a != 3) {
                state.registry().transition(id, AgentStatus.IDLE);
            }
        }
        state.tasks().submit(TaskSpec.of("pre-0", "work", new byte[0]));
        state.tasks().submit(TaskSpec.of("pre-1", "work", new byte[0]));
        state.tasks().claim(AgentId.of("agent-0"), Set.of(), LEASE).orElseThrow();
        state.tasks().claim(AgentId.of("agent-0"), Set.of(), LEASE).orElseThrow();
        for (int i = 0; i < 12; i++) {
            TaskSpec task = TaskSpec.of("t" + i, "render", new byte[i]).withPriority(9 - i % 10);
            state.tasks().submit(i % 3 == 0 ? task.withRequiredCapabilities(Set.of("gpu")) : task);
        }
        return state;
    }

    private static List<String> assignAll(TaskQueue tasks, Function<TaskQueue, Optional<Lease>> assign) {
        List<String> out = new ArrayList<>();
        for (Optional<Lease> next = assign.apply(tasks); next.isPresent(); next = assign.apply(tasks)) {
            out.add(next.get().taskId() + ":" + next.get().holder().value());
        }
        return out;
    }

    @Test
    void assign_wasmFewestLeasesScorer_sameAssignmentsAsLeastLoaded() {
        host.deploy("load", Wat.wasm("fewest_leases_scorer"), null, slow);
        PluginScorer scorer = host.scorer("load", FailurePolicy.FAIL_CLOSED);

        List<String> byWasm = assignAll(swarm().tasks(), tasks -> tasks.assign(scorer, LEASE, null));
        List<String> byStrategy =
                assignAll(swarm().tasks(), tasks -> tasks.assign(AssignmentStrategy.LEAST_LOADED, LEASE, null));

        assertThat(byWasm).hasSize(12).isEqualTo(byStrategy);
        assertThat(byWasm).noneMatch(s -> s.endsWith("agent-3")); // STARTING: never a candidate
        assertThat(byWasm).filteredOn(s -> s.matches("t(0|3|6|9):.*")).noneMatch(s -> s.endsWith("agent-2"));
        assertThat(byWasm).filteredOn(s -> s.endsWith(":agent-0")).hasSize(2); // it held two already
        assertThat(host.stats("load").orElseThrow().calls()).isEqualTo(12);
    }

    @Test
    void assign_scorerFailsClosed_nothingClaimed() {
        host.deploy("broken", Wat.wasm("always_traps"), null, slow);
        CoordinationState state = swarm();

        assertThat(state.tasks().assign(host.scorer("broken", FailurePolicy.FAIL_CLOSED), LEASE, null))
                .isEmpty();
        assertThat(state.tasks().count(TaskStatus.CLAIMED)).isEqualTo(2);
        assertThat(state.tasks().count(TaskStatus.QUEUED)).isEqualTo(12);
    }

    @Test
    void assign_scorerFailsOpen_firstCandidateOfTheTopTask() {
        host.deploy("broken", Wat.wasm("always_traps"), null, slow);
        CoordinationState state = swarm();

        Lease lease = state.tasks()
                .assign(host.scorer("broken", FailurePolicy.FAIL_OPEN), LEASE, null)
                .orElseThrow();

        assertThat(lease.taskId()).isEqualTo("t0");
        assertThat(lease.holder()).isEqualTo(AgentId.of("agent-0"));
    }
}
