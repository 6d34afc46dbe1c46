package dev.colony.state;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Part of {@link TaskQueueContract}: leader-driven assignment with each {@link AssignmentStrategy}. */
public interface TaskAssignmentContract extends StateFixture {

    private static void idle(CoordinationState state, AgentId id, Set<String> capabilities) {
        state.registry().register(id, "worker", capabilities, Map.of());
        state.registry().transition(id, AgentStatus.IDLE);
    }

    private static void submit(TaskQueue tasks, int count, Set<String> required) {
        int base = tasks.byStatus(TaskStatus.QUEUED).size()
                + tasks.byStatus(TaskStatus.CLAIMED).size();
        for (int i = 0; i < count; i++) {
            tasks.submit(TaskSpec.of("t" + (base + i), "work", bytes("x")).withRequiredCapabilities(required));
        }
    }

    private static List<AgentId> assignAll(TaskQueue tasks, AssignmentStrategy strategy, int count) {
        List<AgentId> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chosen.add(tasks.assign(strategy, LEASE, null).orElseThrow().holder());
        }
        return chosen;
    }

    @Test
    default void assign_noWorkingAgent_empty() {
        CoordinationState state = state();
        state.registry().register(ALICE, "worker", Set.of(), Map.of()); // STARTING: not working yet
        submit(state.tasks(), 1, Set.of());

        assertThat(state.tasks().assign(AssignmentStrategy.PRIORITY, LEASE, null))
                .isEmpty();
        assertThat(state.tasks().get("t0").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    default void assign_noTask_empty() {
        CoordinationState state = state();
        idle(state, ALICE, Set.of());

        assertThat(state.tasks().assign(AssignmentStrategy.LEAST_LOADED, LEASE, null))
                .isEmpty();
    }

    @Test
    default void assign_priority_firstEligibleRegisteredGetsHighestPriorityTask() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        idle(state, BOB, Set.of("gpu"));
        tasks.submit(TaskSpec.of("low", "work", bytes("x")).withPriority(1));
        tasks.submit(TaskSpec.of("high", "work", bytes("x")).withPriority(8).withRequiredCapabilities(Set.of("gpu")));

        Lease first = tasks.assign(AssignmentStrategy.PRIORITY, LEASE, null).orElseThrow();
        Lease second = tasks.assign(AssignmentStrategy.PRIORITY, LEASE, null).orElseThrow();

        assertThat(first.taskId()).isEqualTo("high");
        assertThat(first.holder()).isEqualTo(BOB);
        assertThat(second.taskId()).isEqualTo("low");
        assertThat(second.holder()).isEqualTo(ALICE);
        assertThat(tasks.get("high").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(tasks.leasesOf(BOB)).extracting(Lease::taskId).containsExactly("high");
    }

    @Test
    default void assign_leastLoaded_fewestLeasesTiesToEarliestRegistered() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        idle(state, BOB, Set.of());
        idle(state, CAROL, Set.of());
        submit(tasks, 2, Set.of());
        tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        submit(tasks, 4, Set.of());

        assertThat(assignAll(tasks, AssignmentStrategy.LEAST_LOADED, 4)).containsExactly(BOB, CAROL, BOB, CAROL);
    }

    @Test
    default void assign_roundRobin_eligibleAgentsInTurn() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        idle(state, BOB, Set.of());
        idle(state, CAROL, Set.of());
        submit(tasks, 5, Set.of());

        assertThat(assignAll(tasks, AssignmentStrategy.ROUND_ROBIN, 5)).containsExactly(ALICE, BOB, CAROL, ALICE, BOB);
    }

    @Test
    default void assign_roundRobinWithIneligibleAgent_skipsIt() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of("gpu"));
        idle(state, BOB, Set.of());
        idle(state, CAROL, Set.of("gpu"));
        submit(tasks, 3, Set.of("gpu"));

        assertThat(assignAll(tasks, AssignmentStrategy.ROUND_ROBIN, 3)).containsExactly(ALICE, CAROL, ALICE);
    }

    @Test
    default void assign_capabilityMatch_fewestExtraCapabilities() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of("gpu", "cuda", "python"));
        idle(state, BOB, Set.of("gpu"));
        idle(state, CAROL, Set.of("gpu", "python"));
        submit(tasks, 1, Set.of("gpu"));
        tasks.submit(TaskSpec.of("py", "work", bytes("x")).withRequiredCapabilities(Set.of("python")));

        assertThat(assignAll(tasks, AssignmentStrategy.CAPABILITY_MATCH, 2)).containsExactly(BOB, CAROL);
    }

    @Test
    default void assign_topTaskWithoutEligibleAgent_nextTaskAssigned() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        tasks.submit(TaskSpec.of("gpu", "work", bytes("x")).withPriority(9).withRequiredCapabilities(Set.of("gpu")));
        tasks.submit(TaskSpec.of("plain", "work", bytes("x")).withPriority(1));

        Lease lease = tasks.assign(AssignmentStrategy.PRIORITY, LEASE, null).orElseThrow();

        assertThat(lease.taskId()).isEqualTo("plain");
        assertThat(lease.holder()).isEqualTo(ALICE);
        assertThat(tasks.assign(AssignmentStrategy.PRIORITY, LEASE, null)).isEmpty();
        assertThat(tasks.get("gpu").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    default void assign_failedAgent_notChosen() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        idle(state, BOB, Set.of());
        state.registry().transition(ALICE, AgentStatus.FAILED);
        submit(tasks, 2, Set.of());

        assertThat(assignAll(tasks, AssignmentStrategy.PRIORITY, 2)).containsExactly(BOB, BOB);
    }

    @Test
    default void assign_lapsedLease_expiredFirstAndReassigned() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        idle(state, ALICE, Set.of());
        submit(tasks, 1, Set.of());
        Lease old = tasks.assign(AssignmentStrategy.LEAST_LOADED, Duration.ofSeconds(5), null)
                .orElseThrow();
        clock().advance(Duration.ofSeconds(5));

        Lease again = tasks.assign(AssignmentStrategy.LEAST_LOADED, LEASE, null).orElseThrow();

        assertThat(again.taskId()).isEqualTo(old.taskId());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(tasks.complete(old, bytes("x"))).isEqualTo(LeaseOutcome.STALE_LEASE);
    }
}
