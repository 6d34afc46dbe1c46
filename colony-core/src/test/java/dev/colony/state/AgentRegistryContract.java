package dev.colony.state;

import static dev.colony.bus.BusTesting.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Part of {@link StateContract}: the agent registry, its status machine, queries, and failure detection
 * judged by the clock.
 */
public interface AgentRegistryContract extends StateFixture {

    private static AgentRecord register(AgentRegistry registry, AgentId id, String role, String... capabilities) {
        return registry.register(id, role, Set.of(capabilities), Map.of("zone", "eu"));
    }

    @Test
    default void register_newAgent_startingWithItsDetailsAndAnnounced() {
        CoordinationState state = state();
        List<StateChange> seen = announcements("colony.agent.>");

        AgentRecord record = register(state.registry(), ALICE, "worker", "gpu", "python");

        assertThat(record.status()).isEqualTo(AgentStatus.STARTING);
        assertThat(record.role()).isEqualTo("worker");
        assertThat(record.capabilities()).containsExactlyInAnyOrder("gpu", "python");
        assertThat(record.metadata()).containsEntry("zone", "eu");
        assertThat(record.registeredAt()).isEqualTo(clock().instant());
        assertThat(state.registry().get(ALICE)).contains(record);
        assertThat(seen).singleElement().satisfies(change -> {
            assertThat(change.change()).isEqualTo("registered");
            assertThat(change.value()).isEqualTo(record);
            assertThat(change.revision()).isEqualTo(state.revision());
        });
    }

    @Test
    default void register_twice_refusedUntilDeregistered() {
        CoordinationState state = state();
        register(state.registry(), ALICE, "worker");

        assertThatThrownBy(() -> register(state.registry(), ALICE, "worker"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alice");

        assertThat(state.registry().deregister(ALICE)).isTrue();
        assertThat(state.registry().deregister(ALICE)).isFalse();
        assertThat(register(state.registry(), ALICE, "worker").status()).isEqualTo(AgentStatus.STARTING);
    }

    @Test
    default void register_badRoleOrCapability_refusedQuotingIt() {
        CoordinationState state = state();
        assertThatThrownBy(() -> register(state.registry(), ALICE, "a role"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a role");
        assertThatThrownBy(() -> register(state.registry(), ALICE, "worker", "gpu.big"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gpu.big");
        assertThat(state.registry().all()).isEmpty();
    }

    @Test
    default void transition_lifecycle_followsTheStateMachineAndAnnouncesEachStep() {
        CoordinationState state = state();
        List<StateChange> seen = announcements("colony.agent.alice.status");
        register(state.registry(), ALICE, "worker");

        for (AgentStatus next : List.of(
                AgentStatus.IDLE, AgentStatus.BUSY, AgentStatus.IDLE, AgentStatus.STOPPING, AgentStatus.STOPPED)) {
            assertThat(state.registry().transition(ALICE, next).status()).isEqualTo(next);
        }

        assertThat(seen)
                .extracting(c -> ((AgentRecord) c.value()).status())
                .containsExactly(
                        AgentStatus.IDLE,
                        AgentStatus.BUSY,
                        AgentStatus.IDLE,
                        AgentStatus.STOPPING,
                        AgentStatus.STOPPED);
        assertThat(seen).extracting(StateChange::revision).isSorted();
    }

    @ParameterizedTest
    @EnumSource(AgentStatus.class)
    default void transition_everyPair_allowedExactlyAsTheMachineSays(AgentStatus from) {
        for (AgentStatus to : AgentStatus.values()) {
            CoordinationState state = state();
            register(state.registry(), ALICE, "worker");
            driveTo(state.registry(), ALICE, from);
            boolean allowed = switch (from) {
                case STARTING ->
                    EnumSet.of(AgentStatus.IDLE, AgentStatus.STOPPING, AgentStatus.FAILED)
                            .contains(to);
                case IDLE ->
                    EnumSet.of(AgentStatus.BUSY, AgentStatus.STOPPING, AgentStatus.FAILED)
                            .contains(to);
                case BUSY ->
                    EnumSet.of(AgentStatus.IDLE, AgentStatus.STOPPING, AgentStatus.FAILED)
                            .contains(to);
                case STOPPING ->
                    EnumSet.of(AgentStatus.STOPPED, AgentStatus.FAILED).contains(to);
                case STOPPED, FAILED -> false;
            };
            if (allowed) {
                assertThat(state.registry().transition(ALICE, to).status()).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> state.registry().transition(ALICE, to))
                        .as("%s -> %s", from, to)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(from.name())
                        .hasMessageContaining(to.name());
                assertThat(state.registry().get(ALICE).orElseThrow().status()).isEqualTo(from);
            }
        }
    }

    private static void driveTo(AgentRegistry registry, AgentId id, AgentStatus target) {
        List<AgentStatus> path = switch (target) {
            case STARTING -> List.of();
            case IDLE -> List.of(AgentStatus.IDLE);
            case BUSY -> List.of(AgentStatus.IDLE, AgentStatus.BUSY);
            case STOPPING -> List.of(AgentStatus.STOPPING);
            case STOPPED -> List.of(AgentStatus.STOPPING, AgentStatus.STOPPED);
            case FAILED -> List.of(AgentStatus.FAILED);
        };
        path.forEach(status -> registry.transition(id, status));
    }

    @Test
    default void transition_unknownAgent_noSuchElement() {
        CoordinationState state = state();
        assertThatThrownBy(() -> state.registry().transition(BOB, AgentStatus.IDLE))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("bob");
    }

    @Test
    default void queries_byRoleStatusAndCapabilities_selectTheRightAgentsInRegistrationOrder() {
        CoordinationState state = state();
        AgentRegistry registry = state.registry();
        register(registry, ALICE, "worker", "gpu", "python");
        register(registry, BOB, "worker", "python");
        register(registry, CAROL, "boss");
        registry.transition(BOB, AgentStatus.IDLE);

        assertThat(registry.byRole("worker")).extracting(AgentRecord::id).containsExactly(ALICE, BOB);
        assertThat(registry.byStatus(AgentStatus.IDLE))
                .extracting(AgentRecord::id)
                .containsExactly(BOB);
        assertThat(registry.withCapabilities(Set.of("python")))
                .extracting(AgentRecord::id)
                .containsExactly(ALICE, BOB);
        assertThat(registry.withCapabilities(Set.of("python", "gpu")))
                .extracting(AgentRecord::id)
                .containsExactly(ALICE);
        assertThat(registry.withCapabilities(Set.of())).hasSize(3);
        assertThat(registry.all()).extracting(AgentRecord::id).containsExactly(ALICE, BOB, CAROL);
    }

    @Test
    default void heartbeat_recordsTheClockAndKeepsTheAgentAlive() {
        CoordinationState state = state();
        register(state.registry(), ALICE, "worker");
        Duration timeout = StateOptions.defaults().heartbeatTimeout();

        for (int i = 0; i < 5; i++) {
            clock().advance(timeout.dividedBy(2));
            assertThat(state.registry().heartbeat(ALICE)).isTrue();
            state.sweep();
        }

        AgentRecord alice = state.registry().get(ALICE).orElseThrow();
        assertThat(alice.status()).isEqualTo(AgentStatus.STARTING);
        assertThat(alice.lastHeartbeat()).isEqualTo(clock().instant());
        assertThat(state.registry().heartbeat(BOB)).isFalse();
    }

    @Test
    default void sweep_missedHeartbeats_markedFailedAnnouncedAndNoLongerBeating() {
        CoordinationState state = state();
        List<StateChange> failures = announcements("colony.agent.*.failed");
        register(state.registry(), ALICE, "worker");
        register(state.registry(), BOB, "worker");
        Duration timeout = StateOptions.defaults().heartbeatTimeout();
        clock().advance(timeout.dividedBy(2));
        state.registry().heartbeat(BOB);

        clock().advance(timeout.dividedBy(2).plusMillis(1));
        state.sweep();

        assertThat(state.registry().get(ALICE).orElseThrow().status()).isEqualTo(AgentStatus.FAILED);
        assertThat(state.registry().get(BOB).orElseThrow().status()).isEqualTo(AgentStatus.STARTING);
        assertThat(failures).extracting(c -> ((AgentRecord) c.value()).id()).containsExactly(ALICE);
        assertThat(state.registry().heartbeat(ALICE))
                .as("a failed agent must register again")
                .isFalse();
        state.sweep();
        assertThat(failures).hasSize(1);
    }

    @Test
    default void sweep_exactlyAtTheTimeout_notYetFailed() {
        CoordinationState state = state();
        register(state.registry(), ALICE, "worker");

        clock().advance(StateOptions.defaults().heartbeatTimeout());
        state.sweep();

        assertThat(state.registry().get(ALICE).orElseThrow().status()).isEqualTo(AgentStatus.STARTING);
    }

    @Test
    default void concurrent_thousandsOfAgentsRegisterBeatAndMove_everyOneRecordedOnce() throws Exception {
        CoordinationState state = state();
        int agents = 2_000;
        AtomicInteger beats = new AtomicInteger();
        ConcurrentHashMap<AgentId, Boolean> failed = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            AgentId id = AgentId.of("a" + i);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    register(state.registry(), id, i(id) % 2 == 0 ? "even" : "odd");
                    state.registry().transition(id, AgentStatus.IDLE);
                    for (int b = 0; b < 5; b++) {
                        if (state.registry().heartbeat(id)) {
                            beats.incrementAndGet();
                        }
                        state.registry().transition(id, AgentStatus.BUSY);
                        state.registry().transition(id, AgentStatus.IDLE);
                    }
                } catch (RuntimeException e) {
                    failed.put(id, Boolean.TRUE);
                }
            }));
        }
        for (Thread thread : threads) {
            join(thread);
        }

        assertThat(failed).isEmpty();
        assertThat(beats).hasValue(agents * 5);
        assertThat(state.registry().all()).hasSize(agents);
        assertThat(state.registry().byStatus(AgentStatus.IDLE)).hasSize(agents);
        assertThat(state.registry().byRole("even")).hasSize(agents / 2);
        // 1 registration + 1 move + 5 x (beat + 2 moves) per agent, each one revision
        assertThat(state.revision()).isEqualTo((long) agents * (2 + 5 * 3));
    }

    private static int i(AgentId id) {
        return Integer.parseInt(id.value().substring(1));
    }
}
