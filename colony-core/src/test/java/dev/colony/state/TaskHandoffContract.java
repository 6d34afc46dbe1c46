package dev.colony.state;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link TaskQueueContract}: {@link TaskQueue#completeAndClaim}, a worker's complete and next claim in
 * one call (ADR 0063): the same effects and announcements as the two calls apart.
 */
public interface TaskHandoffContract extends StateFixture {

    private static TaskSpec spec(String id) {
        return TaskSpec.of(id, "work", bytes("input-" + id));
    }

    @Test
    default void completeAndClaim_nextQueued_completesAndClaimsItForTheSameAgent() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        tasks.submit(spec("t2"));
        Lease first = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        Handoff handoff = tasks.completeAndClaim(first, bytes("done-t1"), Set.of(), Duration.ofSeconds(7));

        assertThat(handoff.outcome()).isEqualTo(LeaseOutcome.OK);
        Task t1 = tasks.get("t1").orElseThrow();
        assertThat(t1.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(t1.result()).isEqualTo(bytes("done-t1"));
        Lease next = handoff.next().orElseThrow();
        assertThat(next.taskId()).isEqualTo("t2");
        assertThat(next.holder()).isEqualTo(ALICE);
        assertThat(next.attempt()).isEqualTo(1);
        assertThat(next.expiresAt()).isEqualTo(clock().instant().plus(Duration.ofSeconds(7)));
        assertThat(tasks.leasesOf(ALICE)).extracting(Lease::taskId).containsExactly("t2");
        assertThat(tasks.complete(next, bytes("done-t2"))).isEqualTo(LeaseOutcome.OK);
    }

    @Test
    default void completeAndClaim_queueEmpty_completesAndNoNext() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        Handoff handoff = tasks.completeAndClaim(lease, bytes("done"), Set.of(), LEASE);

        assertThat(handoff.outcome()).isEqualTo(LeaseOutcome.OK);
        assertThat(handoff.next()).isEmpty();
        assertThat(tasks.count(TaskStatus.COMPLETED)).isEqualTo(1);
        assertThat(tasks.leasesOf(ALICE)).isEmpty();
    }

    @Test
    default void completeAndClaim_capabilities_nextOnlyATaskTheyCover() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        tasks.submit(spec("gpu").withRequiredCapabilities(Set.of("gpu")));
        tasks.submit(spec("t3"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        Handoff handoff = tasks.completeAndClaim(lease, bytes("done"), Set.of(), LEASE);

        assertThat(handoff.next().orElseThrow().taskId()).isEqualTo("t3");
        assertThat(tasks.get("gpu").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
        Handoff gpu = tasks.completeAndClaim(handoff.next().orElseThrow(), bytes("done"), Set.of("gpu"), LEASE);
        assertThat(gpu.next().orElseThrow().taskId()).isEqualTo("gpu");
    }

    @Test
    default void completeAndClaim_leaseAlreadyUsed_refusedButTheWorkerStillGetsTheNext() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        assertThat(tasks.complete(lease, bytes("first"))).isEqualTo(LeaseOutcome.OK);
        tasks.submit(spec("t2"));

        Handoff handoff = tasks.completeAndClaim(lease, bytes("second"), Set.of(), LEASE);

        assertThat(handoff.outcome()).isNotEqualTo(LeaseOutcome.OK);
        assertThat(tasks.get("t1").orElseThrow().result()).isEqualTo(bytes("first"));
        assertThat(handoff.next().orElseThrow().taskId()).isEqualTo("t2");
    }

    @Test
    default void completeAndClaim_leaseLapsed_staleAndTheTaskClaimedAgainAsNext() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), Duration.ofSeconds(1)).orElseThrow();
        clock().advance(Duration.ofSeconds(2));

        Handoff handoff = tasks.completeAndClaim(lease, bytes("late"), Set.of(), LEASE);

        assertThat(handoff.outcome()).isEqualTo(LeaseOutcome.STALE_LEASE);
        Lease again = handoff.next().orElseThrow();
        assertThat(again.taskId()).isEqualTo("t1");
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.token()).isNotEqualTo(lease.token());
        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
    }

    @Test
    default void completeAndClaim_badArguments_throwAndChangeNothing() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        tasks.submit(spec("t2"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThatThrownBy(() -> tasks.completeAndClaim(lease, bytes("r"), Set.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nextLease")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> tasks.completeAndClaim(lease, bytes("r"), null, LEASE))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tasks.completeAndClaim(lease, null, Set.of(), LEASE))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("result");

        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(tasks.get("t2").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    default void completeAndClaim_announcements_completedThenClaimed() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        tasks.submit(spec("t2"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        List<StateChange> seen = announcements("colony.task.>");

        tasks.completeAndClaim(lease, bytes("done"), Set.of(), LEASE);

        assertThat(seen).extracting(StateChange::change).containsExactly("completed", "claimed");
        assertThat(seen).extracting(c -> ((Task) c.value()).id()).containsExactly("t1", "t2");
        assertThat(seen).extracting(StateChange::revision).isSorted().doesNotHaveDuplicates();
    }
}
