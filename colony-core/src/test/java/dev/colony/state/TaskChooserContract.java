package dev.colony.state;

import static dev.colony.bus.BusTesting.PATIENCE;
import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link TaskQueueContract}: assignment by a user's {@link AgentChooser} (ADR 0052). The candidates
 * offered, the claim of exactly the chosen agent, declining, bad answers, races lost between the choice and
 * the claim, and many concurrent assigners.
 */
public interface TaskChooserContract extends StateFixture {

    private static void idle(CoordinationState state, AgentId id, Set<String> capabilities) {
        state.registry().register(id, "worker", capabilities, Map.of());
        state.registry().transition(id, AgentStatus.IDLE);
    }

    /** Fewest leases, ties to the earliest registered: LEAST_LOADED written as a chooser. */
    AgentChooser FEWEST_LEASES = (task, candidates) -> Optional.of(candidates.stream()
            .min(Comparator.comparingInt(AgentChooser.Candidate::leases))
            .orElseThrow()
            .id());

    @Test
    default void assignChooser_candidatesAreWorkingAgentsWithTheCapabilitiesAndTheirLeases() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of("gpu", "cuda"));
        idle(state, BOB, Set.of("cpu")); // lacks gpu
        state.registry().register(CAROL, "worker", Set.of("gpu"), Map.of()); // STARTING: not working yet
        AgentId dave = AgentId.of("dave");
        idle(state, dave, Set.of("gpu"));
        tasks.submit(TaskSpec.of("held", "work", bytes("x")));
        tasks.claim(dave, Set.of(), LEASE).orElseThrow();
        tasks.submit(TaskSpec.of("render", "work", bytes("x")).withRequiredCapabilities(Set.of("gpu")));
        List<List<AgentChooser.Candidate>> offered = new CopyOnWriteArrayList<>();

        Lease lease = tasks.assign(
                        (task, candidates) -> {
                            offered.add(candidates);
                            return Optional.of(candidates.getLast().id());
                        },
                        LEASE,
                        null)
                .orElseThrow();

        assertThat(offered).hasSize(1);
        assertThat(offered.getFirst()).extracting(AgentChooser.Candidate::id).containsExactly(ALICE, dave);
        assertThat(offered.getFirst())
                .extracting(AgentChooser.Candidate::leases)
                .containsExactly(0, 1);
        assertThat(offered.getFirst().getFirst().agent().capabilities()).containsExactlyInAnyOrder("gpu", "cuda");
        assertThat(lease.taskId()).isEqualTo("render");
        assertThat(lease.holder()).isEqualTo(dave);
        assertThat(tasks.get("render").orElseThrow().holder()).isEqualTo(dave);
        assertThat(tasks.leasesOf(dave)).extracting(Lease::taskId).containsExactlyInAnyOrder("held", "render");
    }

    @Test
    default void assignChooser_fewestLeases_sameAgentsAsLeastLoaded() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        idle(state, BOB, Set.of());
        idle(state, CAROL, Set.of());
        for (int i = 0; i < 2; i++) {
            tasks.submit(TaskSpec.of("pre" + i, "work", bytes("x")));
            tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        }
        for (int i = 0; i < 5; i++) {
            tasks.submit(TaskSpec.of("t" + i, "work", bytes("x")).withPriority(9 - i));
        }

        List<String> assigned = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Lease lease = tasks.assign(FEWEST_LEASES, LEASE, null).orElseThrow();
            assigned.add(lease.taskId() + ":" + lease.holder().value());
        }

        assertThat(assigned).containsExactly("t0:bob", "t1:carol", "t2:bob", "t3:carol", "t4:alice");
        assertThat(tasks.assign(FEWEST_LEASES, LEASE, null)).isEmpty();
    }

    @Test
    default void assignChooser_declinesTopTask_nextGroupOffered() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of("gpu"));
        tasks.submit(TaskSpec.of("gpu", "work", bytes("x")).withPriority(9).withRequiredCapabilities(Set.of("gpu")));
        tasks.submit(TaskSpec.of("plain", "work", bytes("x")).withPriority(1));
        List<String> asked = new CopyOnWriteArrayList<>();
        AgentChooser plainOnly = (task, candidates) -> {
            asked.add(task.id());
            return task.id().equals("plain") ? Optional.of(candidates.getFirst().id()) : Optional.empty();
        };

        Lease lease = tasks.assign(plainOnly, LEASE, null).orElseThrow();

        assertThat(asked).containsExactly("gpu", "plain");
        assertThat(lease.taskId()).isEqualTo("plain");
        assertThat(tasks.assign(plainOnly, LEASE, null)).isEmpty();
        assertThat(tasks.get("gpu").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    default void assignChooser_noWorkingAgentOrNoTask_emptyWithoutAsking() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        AtomicInteger asked = new AtomicInteger();
        AgentChooser counting = (task, candidates) -> {
            asked.incrementAndGet();
            return Optional.of(candidates.getFirst().id());
        };
        state.registry().register(ALICE, "worker", Set.of(), Map.of()); // STARTING
        tasks.submit(TaskSpec.of("t0", "work", bytes("x")));

        assertThat(tasks.assign(counting, LEASE, null)).isEmpty();
        state.registry().transition(ALICE, AgentStatus.IDLE);
        tasks.submit(TaskSpec.of("gpu", "work", bytes("x")).withRequiredCapabilities(Set.of("gpu")));
        tasks.cancel("t0");
        assertThat(tasks.assign(counting, LEASE, null)).isEmpty(); // nobody has gpu
        assertThat(asked).hasValue(0);
    }

    @Test
    default void assignChooser_agentNotACandidate_clearErrorAndNothingClaimed() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        idle(state, BOB, Set.of("cpu"));
        tasks.submit(TaskSpec.of("render", "work", bytes("x")).withRequiredCapabilities(Set.of("gpu", "cpu")));
        tasks.submit(TaskSpec.of("plain", "work", bytes("x")));

        assertThatThrownBy(() -> tasks.assign((task, candidates) -> Optional.of(AgentId.of("ghost")), LEASE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"ghost\"")
                .hasMessageContaining("\"plain\"")
                .hasMessageContaining("nothing was claimed");
        assertThat(tasks.byStatus(TaskStatus.CLAIMED)).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.QUEUED)).hasSize(2);
        state.registry().register(CAROL, "worker", Set.of("gpu", "cpu"), Map.of()); // registered, still STARTING
        assertThatThrownBy(() -> tasks.assign((task, candidates) -> Optional.of(CAROL), LEASE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"carol\"")
                .hasMessageContaining("not one of its 2 candidates");
        assertThat(tasks.byStatus(TaskStatus.CLAIMED)).isEmpty();
        assertThatThrownBy(() -> tasks.assign((task, candidates) -> null, LEASE, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null");
        assertThat(tasks.byStatus(TaskStatus.CLAIMED)).isEmpty();
    }

    @Test
    default void assignChooser_staleFence_emptyWithoutAsking() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        tasks.submit(TaskSpec.of("t0", "work", bytes("x")));
        Leadership alice = state.leaders().campaign("planners", ALICE, LEASE).orElseThrow();
        Fence old = alice.fence();
        state.leaders().resign(alice);
        Fence current =
                state.leaders().campaign("planners", BOB, LEASE).orElseThrow().fence();
        AtomicInteger asked = new AtomicInteger();
        AgentChooser first = (task, candidates) -> {
            asked.incrementAndGet();
            return Optional.of(candidates.getFirst().id());
        };

        assertThat(tasks.assign(first, LEASE, old)).isEmpty();
        assertThat(asked).hasValue(0);
        assertThat(tasks.assign(first, LEASE, current).orElseThrow().holder()).isEqualTo(ALICE);
    }

    @Test
    default void assignChooser_chosenAgentFailsWhileChoosing_offeredAgainWithoutIt() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        idle(state, BOB, Set.of());
        tasks.submit(TaskSpec.of("t0", "work", bytes("x")));
        List<List<AgentId>> offered = new CopyOnWriteArrayList<>();

        Lease lease = tasks.assign(
                        (task, candidates) -> {
                            offered.add(candidates.stream()
                                    .map(AgentChooser.Candidate::id)
                                    .toList());
                            if (offered.size() == 1) {
                                state.registry().transition(BOB, AgentStatus.FAILED); // between choice and claim
                            }
                            return Optional.of(candidates.getLast().id());
                        },
                        LEASE,
                        null)
                .orElseThrow();

        assertThat(offered).containsExactly(List.of(ALICE, BOB), List.of(ALICE));
        assertThat(lease.holder()).isEqualTo(ALICE);
        assertThat(tasks.leasesOf(BOB)).isEmpty();
        assertThat(tasks.get("t0").orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    default void assignChooser_taskClaimedWhileChoosing_nextTaskOffered() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        tasks.submit(TaskSpec.of("first", "work", bytes("x")).withPriority(9));
        tasks.submit(TaskSpec.of("second", "work", bytes("x")).withPriority(1));
        List<String> asked = new CopyOnWriteArrayList<>();

        Lease lease = tasks.assign(
                        (task, candidates) -> {
                            asked.add(task.id());
                            if (asked.size() == 1) {
                                tasks.claim(CAROL, Set.of(), LEASE).orElseThrow(); // takes "first" meanwhile
                            }
                            return Optional.of(candidates.getFirst().id());
                        },
                        LEASE,
                        null)
                .orElseThrow();

        assertThat(asked).containsExactly("first", "second");
        assertThat(lease.taskId()).isEqualTo("second");
        assertThat(tasks.get("first").orElseThrow().holder()).isEqualTo(CAROL);
        assertThat(tasks.get("first").orElseThrow().attempts()).isEqualTo(1);
    }

    /** How many tasks the concurrent assignment test hands out (a backend with round trips may use fewer). */
    default int chooserTasks() {
        return 1_000;
    }

    @Test
    default void assignChooser_manyAssigners_everyTaskAssignedExactlyOnce() throws Exception {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        int agents = 10;
        int assigners = 8;
        int count = chooserTasks();
        for (int a = 0; a < agents; a++) {
            idle(state, AgentId.of("agent-" + a), Set.of());
        }
        for (int i = 0; i < count; i++) {
            tasks.submit(TaskSpec.of("t" + i, "work", bytes("x")).withPriority(i % 10));
        }
        Map<String, AgentId> assigned = new ConcurrentHashMap<>();
        LongAdder twice = new LongAdder();

        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < assigners; s++) {
                running.add(executor.submit(() -> {
                    while (tasks.count(TaskStatus.QUEUED) > 0) {
                        tasks.assign(FEWEST_LEASES, LEASE, null).ifPresent(lease -> {
                            if (assigned.putIfAbsent(lease.taskId(), lease.holder()) != null) {
                                twice.increment();
                            }
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> assigner : running) {
                assigner.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        assertThat(twice.sum()).isZero();
        assertThat(assigned).hasSize(count);
        assertThat(tasks.byStatus(TaskStatus.CLAIMED))
                .hasSize(count)
                .allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1))
                .allSatisfy(t -> assertThat(t.holder()).isEqualTo(assigned.get(t.id())));
        int held = 0;
        for (int a = 0; a < agents; a++) {
            held += tasks.leasesOf(AgentId.of("agent-" + a)).size();
        }
        assertThat(held).isEqualTo(count);
    }
}
