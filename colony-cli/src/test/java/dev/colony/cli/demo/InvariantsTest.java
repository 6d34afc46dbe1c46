package dev.colony.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each invariant holds on sound evidence and breaks when its evidence says so. */
class InvariantsTest {
    private static final List<Elections.Term> TWO_TERMS =
            List.of(new Elections.Term(1, List.of("coordinator-0")), new Elections.Term(2, List.of("coordinator-1")));

    @Test
    void noTaskLost_everyTaskCompleted_holds() {
        assertThat(Invariants.noTaskLost(100, 100, 100, 0).holds()).isTrue();
    }

    @Test
    void noTaskLost_oneTaskShortDeadOrUnsubmitted_breaks() {
        assertThat(Invariants.noTaskLost(100, 100, 99, 0).holds())
                .as("one not completed")
                .isFalse();
        assertThat(Invariants.noTaskLost(100, 100, 100, 1).holds())
                .as("one dead")
                .isFalse();
        assertThat(Invariants.noTaskLost(100, 99, 100, 0).holds())
                .as("one not submitted")
                .isFalse();
        assertThat(Invariants.noTaskLost(100, 100, 99, 1).evidence())
                .isEqualTo("99 of 100 tasks completed (100 submitted), 1 dead");
    }

    @Test
    void noTaskCompletedTwice_onceEachAndCountsAgree_holds() {
        assertThat(Invariants.noTaskCompletedTwice(1, 100, 100).holds()).isTrue();
    }

    @Test
    void noTaskCompletedTwice_aTaskCompletedTwiceOrCountsDisagree_breaks() {
        assertThat(Invariants.noTaskCompletedTwice(2, 100, 100).holds())
                .as("twice")
                .isFalse();
        assertThat(Invariants.noTaskCompletedTwice(1, 99, 100).holds())
                .as("counts disagree")
                .isFalse();
    }

    @Test
    void oneLeaderPerTerm_oneCandidatePerIncreasingTerm_holds() {
        assertThat(Invariants.oneLeaderPerTerm(TWO_TERMS, true).holds()).isTrue();
    }

    @Test
    void oneLeaderPerTerm_twoLeadersInATermNoTermOrOutOfOrder_breaks() {
        List<Elections.Term> shared = List.of(new Elections.Term(1, List.of("coordinator-0", "coordinator-1")));
        assertThat(Invariants.oneLeaderPerTerm(shared, true).holds())
                .as("two leaders")
                .isFalse();
        assertThat(Invariants.oneLeaderPerTerm(shared, true).evidence()).contains("coordinator-0, coordinator-1");
        assertThat(Invariants.oneLeaderPerTerm(List.of(), true).holds())
                .as("no term")
                .isFalse();
        assertThat(Invariants.oneLeaderPerTerm(TWO_TERMS, false).holds())
                .as("out of order")
                .isFalse();
    }

    @Test
    void staleLeaderFenced_lateWriteRefused_holds() {
        assertThat(Invariants.staleLeaderFenced(1, 0).holds()).isTrue();
    }

    @Test
    void staleLeaderFenced_lateWriteAccepted_breaks() {
        assertThat(Invariants.staleLeaderFenced(0, 1).holds()).isFalse();
    }

    @Test
    void killedWorkersTask_completedByAnotherOrNoKill_holds() {
        assertThat(Invariants.killedWorkersTaskCompletedByAnother("worker-3", "task-7", "worker-0")
                        .holds())
                .isTrue();
        assertThat(Invariants.killedWorkersTaskCompletedByAnother(null, null, null)
                        .holds())
                .isTrue();
    }

    @Test
    void killedWorkersTask_completedByTheKilledWorkerOrNobody_breaks() {
        assertThat(Invariants.killedWorkersTaskCompletedByAnother("worker-3", "task-7", "worker-3")
                        .holds())
                .as("by the dead worker")
                .isFalse();
        assertThat(Invariants.killedWorkersTaskCompletedByAnother("worker-3", "task-7", null)
                        .evidence())
                .isEqualTo("task-7, held by the killed worker-3, completed by nobody");
    }

    @Test
    void ok_oneInvariantBroken_isFalseAndTheMapSaysWhich() {
        Invariants invariants = new Invariants(
                Invariants.noTaskLost(10, 10, 10, 0),
                Invariants.noTaskCompletedTwice(2, 10, 10),
                Invariants.oneLeaderPerTerm(TWO_TERMS, true),
                Invariants.staleLeaderFenced(1, 0),
                Invariants.killedWorkersTaskCompletedByAnother(null, null, null));

        assertThat(invariants.ok()).isFalse();
        assertThat(invariants.asMap())
                .containsExactly(
                        java.util.Map.entry("no_task_lost", true),
                        java.util.Map.entry("no_task_completed_twice", false),
                        java.util.Map.entry("one_leader_per_term", true),
                        java.util.Map.entry("stale_leader_fenced", true),
                        java.util.Map.entry("killed_workers_task_completed_by_another", true));
    }

    @Test
    void timings_renewalSlowerThanAThirdOfTheLease_isRefused() {
        assertThatThrownBy(() -> new Timings(
                        Duration.ofSeconds(1),
                        Duration.ofMillis(300),
                        Duration.ofMillis(200),
                        Duration.ofMillis(250),
                        Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renewEvery");
    }
}
