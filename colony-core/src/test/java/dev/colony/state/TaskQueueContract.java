package dev.colony.state;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link StateContract}: the task queue. Submitting, claiming by priority and capability, lease
 * outcomes, retries with backoff, expiry (swept and lazy), agent failure, cancelling and announcements;
 * assignment and concurrency are in the interfaces this one extends.
 */
public interface TaskQueueContract
        extends TaskAssignmentContract,
                TaskChooserContract,
                TaskHandoffContract,
                TaskQueueConcurrencyContract,
                TaskRetentionContract,
                TaskSubmitAllContract,
                TaskBatchClaimContract,
                TaskClaimWaitContract {

    private static TaskSpec spec(String id) {
        return TaskSpec.of(id, "work", bytes("input-" + id));
    }

    @Test
    default void submit_newTask_queuedAndVisible() {
        TaskQueue tasks = state().tasks();

        assertThat(tasks.submit(spec("t1"))).isEqualTo("t1");
        tasks.submit(spec("t2"));

        Task t1 = tasks.get("t1").orElseThrow();
        assertThat(t1.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(t1.attempts()).isZero();
        assertThat(t1.holder()).isNull();
        assertThat(t1.spec().payload()).isEqualTo(bytes("input-t1"));
        assertThat(t1.submittedAt()).isEqualTo(clock().instant());
        assertThat(tasks.byStatus(TaskStatus.QUEUED)).extracting(Task::id).containsExactly("t1", "t2");
        assertThat(tasks.byStatus(TaskStatus.CLAIMED)).isEmpty();
        assertThat(tasks.get("nope")).isEmpty();
    }

    @Test
    default void submit_duplicateId_throwsNamingTheId() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));

        assertThatThrownBy(() -> tasks.submit(spec("t1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t1");
    }

    @Test
    default void submit_idOfCompletedTask_stillRefused() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        tasks.complete(lease, bytes("done"));

        assertThatThrownBy(() -> tasks.submit(spec("t1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t1");
    }

    @Test
    default void submit_oversizePayload_throwsNamingBothSizes() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withMaxValueBytes(8))
                .tasks();

        assertThatThrownBy(() -> tasks.submit(TaskSpec.of("big", "work", new byte[9])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9")
                .hasMessageContaining("8");
        assertThat(tasks.get("big")).isEmpty();
        tasks.submit(TaskSpec.of("fits", "work", new byte[8]));
    }

    @Test
    default void claim_mixedPriorities_highestFirstThenFifo() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("low").withPriority(1));
        tasks.submit(spec("normal-1"));
        tasks.submit(spec("high").withPriority(9));
        tasks.submit(spec("normal-2"));

        List<String> order = java.util.stream.Stream.generate(
                        () -> tasks.claim(ALICE, Set.of(), LEASE).orElseThrow().taskId())
                .limit(4)
                .toList();

        assertThat(order).containsExactly("high", "normal-1", "normal-2", "low");
        assertThat(tasks.claim(ALICE, Set.of(), LEASE)).isEmpty();
    }

    @Test
    default void claim_emptyQueue_empty() {
        assertThat(state().tasks().claim(ALICE, Set.of("gpu"), LEASE)).isEmpty();
    }

    @Test
    default void claim_nonPositiveLease_throws() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));

        assertThatThrownBy(() -> tasks.claim(ALICE, Set.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease");
        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    default void claim_missingCapability_skipsToTaskItCovers() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("gpu-job").withPriority(9).withRequiredCapabilities(Set.of("gpu", "cuda")));
        tasks.submit(spec("cpu-job"));

        assertThat(tasks.claim(ALICE, Set.of("gpu"), LEASE).orElseThrow().taskId())
                .isEqualTo("cpu-job");
        assertThat(tasks.claim(ALICE, Set.of("gpu"), LEASE)).isEmpty();
        assertThat(tasks.claim(BOB, Set.of("gpu", "cuda", "avx"), LEASE)
                        .orElseThrow()
                        .taskId())
                .isEqualTo("gpu-job");
    }

    @Test
    default void claim_queuedTask_claimedWithFreshLease() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        tasks.submit(spec("t2"));

        Lease first = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        Lease second = tasks.claim(BOB, Set.of(), LEASE).orElseThrow();

        assertThat(first.taskId()).isEqualTo("t1");
        assertThat(first.holder()).isEqualTo(ALICE);
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.expiresAt()).isEqualTo(clock().instant().plus(LEASE));
        assertThat(second.token()).isGreaterThan(first.token());
        Task claimed = tasks.get("t1").orElseThrow();
        assertThat(claimed.status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(claimed.holder()).isEqualTo(ALICE);
        assertThat(claimed.leaseToken()).isEqualTo(first.token());
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(first.task()).isEqualTo(claimed);
        assertThat(tasks.leasesOf(ALICE)).extracting(Lease::taskId).containsExactly("t1");
        assertThat(tasks.leasesOf(CAROL)).isEmpty();
    }

    @Test
    default void renew_currentLease_extendsFromNow() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(Duration.ofSeconds(20));

        assertThat(tasks.renew(lease, Duration.ofMinutes(1))).isEqualTo(LeaseOutcome.OK);

        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.leaseExpiresAt()).isEqualTo(clock().instant().plus(Duration.ofMinutes(1)));
        assertThat(task.leaseToken()).isEqualTo(lease.token());
        assertThat(tasks.leasesOf(ALICE).getFirst().expiresAt()).isEqualTo(task.leaseExpiresAt());
        clock().advance(Duration.ofSeconds(40));
        assertThat(tasks.complete(lease, bytes("done"))).isEqualTo(LeaseOutcome.OK);
    }

    @Test
    default void complete_currentLease_completedWithResult() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThat(tasks.complete(lease, bytes("done"))).isEqualTo(LeaseOutcome.OK);

        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.result()).isEqualTo(bytes("done"));
        assertThat(task.holder()).isNull();
        assertThat(tasks.leasesOf(ALICE)).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.COMPLETED)).extracting(Task::id).containsExactly("t1");
        assertThat(tasks.complete(lease, bytes("again"))).isEqualTo(LeaseOutcome.NOT_CLAIMED);
        assertThat(tasks.renew(lease, LEASE)).isEqualTo(LeaseOutcome.NOT_CLAIMED);
        assertThat(tasks.get("t1").orElseThrow().result()).isEqualTo(bytes("done"));
    }

    @Test
    default void complete_oversizeResult_throwsAndStaysClaimed() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withMaxValueBytes(8))
                .tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThatThrownBy(() -> tasks.complete(lease, new byte[9]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9")
                .hasMessageContaining("8");
        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
    }

    @Test
    default void complete_unknownTask_notClaimed() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        Lease forged = new Lease("ghost", ALICE, lease.token(), lease.expiresAt(), 1, lease.task());

        assertThat(tasks.complete(forged, bytes("x"))).isEqualTo(LeaseOutcome.NOT_CLAIMED);
        assertThat(tasks.fail(forged, "x", true)).isEqualTo(LeaseOutcome.NOT_CLAIMED);
        assertThat(tasks.renew(forged, LEASE)).isEqualTo(LeaseOutcome.NOT_CLAIMED);
    }

    @Test
    default void complete_afterExpiryAndReclaim_oldHolderRefusedAndCompletedOnce() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        tasks.submit(spec("t1"));
        Lease old = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(LEASE.plusSeconds(1));
        state.sweep();
        Lease current = tasks.claim(BOB, Set.of(), LEASE).orElseThrow();

        assertThat(tasks.complete(old, bytes("alice"))).isEqualTo(LeaseOutcome.STALE_LEASE);
        assertThat(tasks.renew(old, LEASE)).isEqualTo(LeaseOutcome.STALE_LEASE);
        assertThat(tasks.fail(old, "alice gave up", true)).isEqualTo(LeaseOutcome.STALE_LEASE);
        assertThat(tasks.complete(current, bytes("bob"))).isEqualTo(LeaseOutcome.OK);
        assertThat(tasks.complete(old, bytes("alice"))).isEqualTo(LeaseOutcome.NOT_CLAIMED);

        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.result()).isEqualTo(bytes("bob"));
        assertThat(task.attempts()).isEqualTo(2);
    }

    @Test
    default void complete_lapsedLeaseBeforeSweep_staleLeaseAndExpired() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(LEASE);

        assertThat(tasks.complete(lease, bytes("late"))).isEqualTo(LeaseOutcome.STALE_LEASE);

        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(task.lastError()).contains("expired");
        assertThat(tasks.leasesOf(ALICE)).isEmpty();
    }

    @Test
    default void renew_afterSweptExpiry_staleLease() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(LEASE.plusSeconds(1));

        assertThat(state.sweep()).isEqualTo(1);

        assertThat(tasks.renew(lease, LEASE)).isEqualTo(LeaseOutcome.STALE_LEASE);
        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    default void renew_nonPositiveExtension_throws() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThatThrownBy(() -> tasks.renew(lease, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extension");
    }

    @Test
    default void fail_retryable_queuedAgainOnlyAfterBackoff() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease first = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThat(tasks.fail(first, "flaky", true)).isEqualTo(LeaseOutcome.OK);

        Task queued = tasks.get("t1").orElseThrow();
        assertThat(queued.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(queued.lastError()).isEqualTo("flaky");
        assertThat(queued.notBefore()).isEqualTo(clock().instant().plusMillis(100));
        assertThat(tasks.claim(ALICE, Set.of(), LEASE)).isEmpty();
        clock().advance(Duration.ofMillis(99));
        assertThat(tasks.claim(ALICE, Set.of(), LEASE)).isEmpty();
        clock().advance(Duration.ofMillis(1));
        Lease second = tasks.claim(BOB, Set.of(), LEASE).orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);

        assertThat(tasks.fail(second, "flaky again", true)).isEqualTo(LeaseOutcome.OK);

        assertThat(tasks.get("t1").orElseThrow().notBefore())
                .as("the backoff doubles")
                .isEqualTo(clock().instant().plusMillis(200));
    }

    @Test
    default void claim_otherTaskWaitingOutItsBackoff_claimsTheReadyOneAndLeavesTheOther() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("backoff"));
        tasks.fail(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow(), "flaky", true);
        tasks.submit(spec("ready"));

        Lease lease = tasks.claim(BOB, Set.of(), LEASE).orElseThrow();
        assertThat(tasks.cancel("backoff")).isTrue();

        assertThat(lease.taskId()).isEqualTo("ready");
        assertThat(tasks.get("backoff").orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        clock().advance(Duration.ofSeconds(1));
        assertThat(tasks.claim(BOB, Set.of(), LEASE)).isEmpty();
    }

    @Test
    default void fail_backoffLongerThanMax_capped() {
        ManualClock clock = new ManualClock();
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(clock)
                        .withSweepInterval(Duration.ZERO)
                        .withRetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(3)))
                .tasks();
        tasks.submit(spec("t1").withMaxAttempts(10));
        List<Duration> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
            tasks.fail(lease, "again", true);
            Duration wait = Duration.between(
                    clock.instant(), tasks.get("t1").orElseThrow().notBefore());
            waits.add(wait);
            clock.advance(wait);
        }

        assertThat(waits).extracting(Duration::toSeconds).containsExactly(1L, 2L, 3L, 3L);
    }

    @Test
    default void fail_lastAttempt_deadWithReason() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1").withMaxAttempts(2));
        tasks.fail(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow(), "first", true);
        clock().advance(Duration.ofSeconds(1));
        Lease last = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThat(tasks.fail(last, "second", true)).isEqualTo(LeaseOutcome.OK);

        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
        assertThat(task.lastError()).isEqualTo("second");
        assertThat(task.attempts()).isEqualTo(2);
        clock().advance(Duration.ofMinutes(1));
        assertThat(tasks.claim(ALICE, Set.of(), LEASE)).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.DEAD)).extracting(Task::id).containsExactly("t1");
    }

    @Test
    default void fail_notRetryable_deadAtOnce() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThat(tasks.fail(lease, "bad input", false)).isEqualTo(LeaseOutcome.OK);

        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
        assertThat(task.lastError()).isEqualTo("bad input");
        assertThat(task.attempts()).isEqualTo(1);
    }

    @Test
    default void sweep_lapsedLease_queuedAgainAtOnce() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        tasks.submit(spec("t1"));
        tasks.submit(spec("t2"));
        tasks.claim(ALICE, Set.of(), Duration.ofSeconds(10)).orElseThrow();
        tasks.claim(ALICE, Set.of(), Duration.ofSeconds(60)).orElseThrow();
        clock().advance(Duration.ofSeconds(10));

        assertThat(state.sweep()).isEqualTo(1);

        Task expired = tasks.get("t1").orElseThrow();
        assertThat(expired.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(expired.notBefore()).isNull();
        assertThat(expired.holder()).isNull();
        assertThat(expired.lastError()).contains("expired").contains("alice");
        assertThat(tasks.get("t2").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(tasks.leasesOf(ALICE)).extracting(Lease::taskId).containsExactly("t2");
        assertThat(tasks.claim(BOB, Set.of(), LEASE).orElseThrow().taskId()).isEqualTo("t1");
    }

    @Test
    default void sweep_lapsedLastAttempt_dead() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        tasks.submit(spec("t1").withMaxAttempts(1));
        tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(LEASE);

        state.sweep();

        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
        assertThat(task.lastError()).contains("expired");
        assertThat(tasks.claim(BOB, Set.of(), LEASE)).isEmpty();
    }

    @Test
    default void claim_lapsedLeaseNotSwept_expiredAndClaimedAgain() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease old = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(LEASE.plusSeconds(1));

        Lease current = tasks.claim(BOB, Set.of(), LEASE).orElseThrow();

        assertThat(current.taskId()).isEqualTo("t1");
        assertThat(current.attempt()).isEqualTo(2);
        assertThat(tasks.leasesOf(ALICE)).isEmpty();
        assertThat(tasks.complete(old, bytes("alice"))).isEqualTo(LeaseOutcome.STALE_LEASE);
        assertThat(tasks.complete(current, bytes("bob"))).isEqualTo(LeaseOutcome.OK);
    }

    @Test
    default void leasesOf_lapsedLeaseNotSwept_leftOut() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(LEASE);

        assertThat(tasks.leasesOf(ALICE)).isEmpty();
    }

    @Test
    default void agentFailed_leasesReleasedWithReason() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        state.registry().register(ALICE, "worker", Set.of(), Map.of());
        state.registry().transition(ALICE, AgentStatus.IDLE);
        tasks.submit(spec("t1"));
        tasks.submit(spec("t2").withMaxAttempts(1));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        state.registry().transition(ALICE, AgentStatus.FAILED);

        Task released = tasks.get("t1").orElseThrow();
        assertThat(released.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(released.lastError()).contains("alice").contains("FAILED");
        assertThat(tasks.get("t2").orElseThrow().status()).isEqualTo(TaskStatus.DEAD);
        assertThat(tasks.leasesOf(ALICE)).isEmpty();
        assertThat(tasks.complete(lease, bytes("zombie"))).isEqualTo(LeaseOutcome.STALE_LEASE);
    }

    @Test
    default void agentMissedHeartbeats_sweepReleasesLeases() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        state.registry().register(ALICE, "worker", Set.of(), Map.of());
        state.registry().transition(ALICE, AgentStatus.IDLE);
        tasks.submit(spec("t1"));
        tasks.claim(ALICE, Set.of(), Duration.ofHours(1)).orElseThrow();
        clock().advance(Duration.ofSeconds(11));

        state.sweep();

        assertThat(state.registry().get(ALICE).orElseThrow().status()).isEqualTo(AgentStatus.FAILED);
        Task released = tasks.get("t1").orElseThrow();
        assertThat(released.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(released.lastError()).contains("heartbeat");
        assertThat(tasks.claim(BOB, Set.of(), LEASE).orElseThrow().taskId()).isEqualTo("t1");
    }

    @Test
    default void cancel_queuedTask_cancelledAndNotClaimable() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));

        assertThat(tasks.cancel("t1")).isTrue();

        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(tasks.claim(ALICE, Set.of(), LEASE)).isEmpty();
        assertThat(tasks.cancel("t1")).isFalse();
    }

    @Test
    default void cancel_claimedTask_leaseRefused() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThat(tasks.cancel("t1")).isTrue();

        assertThat(tasks.complete(lease, bytes("late"))).isEqualTo(LeaseOutcome.NOT_CLAIMED);
        assertThat(tasks.leasesOf(ALICE)).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.CANCELLED)).extracting(Task::id).containsExactly("t1");
    }

    @Test
    default void cancel_finalOrUnknown_false() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        tasks.complete(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow(), bytes("done"));

        assertThat(tasks.cancel("t1")).isFalse();
        assertThat(tasks.cancel("ghost")).isFalse();
        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    default void announcements_lifeOfTasks_namedInOrderWithGrowingRevisions() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        List<StateChange> seen = announcements("colony.task.>");
        List<String> subjects = new java.util.concurrent.CopyOnWriteArrayList<>();
        bus().subscribe(
                        dev.colony.bus.SubjectPattern.of("colony.task.>"),
                        e -> subjects.add(e.subject().value()),
                        dev.colony.bus.SubscribeOptions.direct());

        tasks.submit(spec("t1").withMaxAttempts(2));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        tasks.renew(lease, LEASE);
        tasks.fail(lease, "flaky", true);
        clock().advance(Duration.ofSeconds(1));
        lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(LEASE);
        state.sweep();
        tasks.submit(spec("t2"));
        tasks.complete(tasks.claim(BOB, Set.of(), LEASE).orElseThrow(), bytes("done"));
        tasks.submit(spec("t3"));
        tasks.cancel("t3");

        assertThat(seen)
                .extracting(StateChange::change)
                .containsExactly(
                        "submitted",
                        "claimed",
                        "renewed",
                        "failed",
                        "claimed",
                        "dead",
                        "submitted",
                        "claimed",
                        "completed",
                        "submitted",
                        "cancelled");
        assertThat(seen).extracting(StateChange::revision).isSorted().doesNotHaveDuplicates();
        assertThat(seen.getLast().value())
                .isInstanceOfSatisfying(Task.class, t -> assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED));
        assertThat(seen.get(1).value())
                .isInstanceOfSatisfying(Task.class, t -> assertThat(t.status()).isEqualTo(TaskStatus.CLAIMED));
        assertThat(subjects.getFirst()).isEqualTo("colony.task.t1.submitted");
        assertThat(subjects.getLast()).isEqualTo("colony.task.t3.cancelled");
    }
}
