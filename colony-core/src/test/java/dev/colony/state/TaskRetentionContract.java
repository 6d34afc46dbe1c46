package dev.colony.state;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link StateContract}: finished tasks purged by the {@link TaskRetention} (by count and by age,
 * completed and failed apart), left out of snapshots, their ids free again; counts by status exact.
 */
public interface TaskRetentionContract extends StateFixture {

    private CoordinationState state(ManualClock clock, TaskRetention retention) {
        return state(StateOptions.defaults()
                .withClock(clock)
                .withSweepInterval(Duration.ZERO)
                .withTaskRetention(retention));
    }

    private static void complete(TaskQueue tasks, String id) {
        tasks.submit(TaskSpec.of(id, "work", bytes(id)));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        assertThat(lease.taskId()).isEqualTo(id);
        assertThat(tasks.complete(lease, bytes("done-" + id))).isEqualTo(LeaseOutcome.OK);
    }

    private static void kill(TaskQueue tasks, String id) {
        tasks.submit(TaskSpec.of(id, "work", bytes(id)));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        assertThat(tasks.fail(lease, "broken", false)).isEqualTo(LeaseOutcome.OK);
    }

    @Test
    default void retention_byCount_keepsTheLastFinishedOfEachKind() {
        CoordinationState state =
                state(new ManualClock(), new TaskRetention(TaskRetention.Keep.last(3), TaskRetention.Keep.last(1)));
        TaskQueue tasks = state.tasks();
        for (int i = 1; i <= 6; i++) {
            complete(tasks, "ok" + i);
        }
        kill(tasks, "ko1");
        kill(tasks, "ko2");
        tasks.submit(TaskSpec.of("c1", "work", bytes("c1")));
        assertThat(tasks.cancel("c1")).isTrue();

        assertThat(tasks.byStatus(TaskStatus.COMPLETED)).extracting(Task::id).containsExactly("ok4", "ok5", "ok6");
        assertThat(tasks.get("ok3")).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.DEAD)).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.CANCELLED)).extracting(Task::id).containsExactly("c1");
        assertThat(tasks.count(TaskStatus.COMPLETED)).isEqualTo(3);
        assertThat(tasks.count(TaskStatus.DEAD)).isZero();
        assertThat(tasks.count(TaskStatus.CANCELLED)).isEqualTo(1);
        assertThat(state.snapshot().tasks()).extracting(Task::id).containsExactly("ok4", "ok5", "ok6", "c1");
    }

    @Test
    default void retention_byAge_purgedAtTheSweepOnceOlder() {
        ManualClock clock = new ManualClock();
        CoordinationState state = state(clock, TaskRetention.of(TaskRetention.Keep.within(Duration.ofMinutes(1))));
        TaskQueue tasks = state.tasks();
        complete(tasks, "old");
        clock.advance(Duration.ofSeconds(45));
        complete(tasks, "young");
        clock.advance(Duration.ofSeconds(30));

        state.sweep();

        assertThat(tasks.get("old")).isEmpty();
        assertThat(tasks.get("young")).map(Task::status).contains(TaskStatus.COMPLETED);
        assertThat(tasks.count(TaskStatus.COMPLETED)).isEqualTo(1);
    }

    @Test
    default void retention_purgedId_mayBeSubmittedAgain() {
        CoordinationState state = state(new ManualClock(), TaskRetention.of(TaskRetention.Keep.last(0)));
        TaskQueue tasks = state.tasks();
        complete(tasks, "t1");
        assertThat(tasks.get("t1")).isEmpty();

        tasks.submit(TaskSpec.of("t1", "work", bytes("again")));

        assertThat(tasks.get("t1")).map(Task::status).contains(TaskStatus.QUEUED);
        assertThat(tasks.count(TaskStatus.QUEUED)).isEqualTo(1);
        assertThat(tasks.count(TaskStatus.COMPLETED)).isZero();
    }

    @Test
    default void retention_default_keepsEveryFinishedTask() {
        TaskQueue tasks = state().tasks();
        for (int i = 0; i < 5; i++) {
            complete(tasks, "t" + i);
        }
        assertThat(tasks.count(TaskStatus.COMPLETED)).isEqualTo(5);
        assertThat(tasks.byStatus(TaskStatus.COMPLETED)).hasSize(5);
    }

    @Test
    default void count_everyStatus_matchesByStatus() {
        ManualClock clock = new ManualClock();
        CoordinationState state = state(clock, TaskRetention.KEEP_ALL);
        TaskQueue tasks = state.tasks();
        for (int i = 0; i < 8; i++) {
            tasks.submit(TaskSpec.of("t" + i, "work", bytes("x")));
        }
        List<Lease> leases = List.of(
                tasks.claim(ALICE, Set.of(), LEASE).orElseThrow(),
                tasks.claim(BOB, Set.of(), LEASE).orElseThrow(),
                tasks.claim(CAROL, Set.of(), LEASE).orElseThrow());
        tasks.complete(leases.get(0), bytes("r"));
        tasks.fail(leases.get(1), "no", false);
        tasks.cancel("t7");
        tasks.claim(ALICE, Set.of(), Duration.ofSeconds(1)).orElseThrow();
        clock.advance(Duration.ofSeconds(2)); // that lease lapses: QUEUED again once expired
        state.sweep();

        for (TaskStatus status : TaskStatus.values()) {
            assertThat(tasks.count(status))
                    .as(status.name())
                    .isEqualTo(tasks.byStatus(status).size());
        }
        assertThat(tasks.count(TaskStatus.QUEUED)).isEqualTo(4);
        assertThat(tasks.count(TaskStatus.CLAIMED)).isEqualTo(1);
    }
}
