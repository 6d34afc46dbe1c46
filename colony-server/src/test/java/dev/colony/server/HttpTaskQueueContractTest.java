package dev.colony.server;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.Colony;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.state.Completion;
import dev.colony.state.CoordinationState;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.ManualClock;
import dev.colony.state.StateChange;
import dev.colony.state.StateOptions;
import dev.colony.state.Task;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskQueueContract;
import dev.colony.state.TaskRetention;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The task-queue contract (with its assignment, concurrency and retention parts) through {@code /v1/tasks}
 * of a server over an embedded colony. Eight tests have HTTP counterparts (ADR 0044, docs/serve.md): a
 * submit is idempotent over HTTP (the same submit again answers the task; only another type or payload is
 * refused); a payload or result that is not JSON is stored as a JSON string, so the size limit applies to
 * that form; no route shows a task's lease token (only the claim's answer carries it); the bus subjects
 * name the stored task ids; and this server has no data directory, so no snapshots (the retention test reads the kept tasks by status).
 */
class HttpTaskQueueContractTest extends HttpStateFixture implements TaskQueueContract {
    @Override
    Colony.Builder colony() {
        return Colony.builder();
    }

    /**
     * 100 tasks for the concurrent chooser test instead of 1,000: over HTTP every offer asks the client's chooser,
     * which reads the task and each of the 10 candidates with a request of its own, and the eight assigners race
     * for the same head task, so most offers are lost and made again: 1,000 tasks are well over 12,000 requests,
     * more than the test's 30 s patience allows on a loaded machine with two test JVMs (ADR 0057). The assigners
     * still race for every task; the assertions are unchanged.
     */
    @Override
    public int chooserTasks() {
        return 100;
    }

    private static TaskSpec spec(String id) {
        return TaskSpec.of(id, "work", bytes("input-" + id));
    }

    /** Over HTTP the same submit again answers the task (idempotent); the same id with another payload is refused. */
    @Test
    @Override
    public void submit_duplicateId_throwsNamingTheId() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));

        assertThat(tasks.submit(spec("t1"))).isEqualTo("t1");
        assertThatThrownBy(() -> tasks.submit(TaskSpec.of("t1", "work", bytes("other"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t1");
        assertThatThrownBy(() -> tasks.submit(TaskSpec.of("t1", "render", bytes("input-t1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t1");
        assertThat(tasks.byStatus(TaskStatus.QUEUED)).extracting(Task::id).containsExactly("t1");
        assertThat(tasks.get("t1").orElseThrow().spec().payload()).isEqualTo(bytes("input-t1"));
    }

    /** The same submit of a completed task answers it unchanged (idempotent); another payload is refused. */
    @Test
    @Override
    public void submit_idOfCompletedTask_stillRefused() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        tasks.complete(lease, bytes("done"));

        assertThat(tasks.submit(spec("t1"))).isEqualTo("t1");
        assertThatThrownBy(() -> tasks.submit(TaskSpec.of("t1", "work", bytes("again"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t1");
        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.result()).isEqualTo(bytes("done"));
        assertThat(tasks.claim(ALICE, Set.of(), LEASE)).isEmpty();
    }

    /** The limit applies to the stored JSON: 7 letters are stored as a 9-byte JSON string, 8 digits as themselves. */
    @Test
    @Override
    public void submit_oversizePayload_throwsNamingBothSizes() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withMaxValueBytes(8))
                .tasks();

        assertThatThrownBy(() -> tasks.submit(TaskSpec.of("big", "work", bytes("abcdefg"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9 bytes")
                .hasMessageContaining("8");
        assertThat(tasks.get("big")).isEmpty();
        tasks.submit(TaskSpec.of("fits", "work", bytes("abcdef")));
        tasks.submit(TaskSpec.of("json", "work", bytes("12345678")));
        assertThat(tasks.byStatus(TaskStatus.QUEUED)).extracting(Task::id).containsExactly("fits", "json");
    }

    /** The limit applies to the stored JSON, as for {@code submit}: 7 letters are a 9-byte JSON string. */
    @Test
    @Override
    public void submitAll_oversizePayload_throwsNamingBothSizesAndDoesNotQueueIt() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withMaxValueBytes(8))
                .tasks();

        assertThatThrownBy(() -> tasks.submitAll(List.of(
                        TaskSpec.of("fits", "work", bytes("abcdef")), TaskSpec.of("big", "work", bytes("abcdefg")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9 bytes")
                .hasMessageContaining("8");
        assertThat(tasks.get("big")).isEmpty();
    }

    /** The contract's bad arguments, with payloads and results whose stored JSON form fits the 8-byte limit. */
    @Test
    @Override
    public void completeAndClaimMany_badArguments_throwAndChangeNothing() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withMaxValueBytes(8))
                .tasks();
        tasks.submitAll(List.of(TaskSpec.of("a", "work", bytes("1")), TaskSpec.of("b", "work", bytes("2"))));
        Lease a = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        List<Completion> one = List.of(new Completion(a, bytes("3")));

        assertThatThrownBy(() ->
                        tasks.completeAndClaim(ALICE, List.of(new Completion(a, bytes("abcdefg"))), Set.of(), LEASE, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9")
                .hasMessageContaining("8");
        assertThatThrownBy(() -> tasks.completeAndClaim(ALICE, one, Set.of(), LEASE, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max");
        assertThatThrownBy(() -> tasks.completeAndClaim(ALICE, null, Set.of(), LEASE, 1))
                .isInstanceOf(NullPointerException.class);

        assertThat(tasks.get("a").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(tasks.get("b").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    /** The limit applies to the stored JSON of the result, as for a payload; the task stays claimed. */
    @Test
    @Override
    public void complete_oversizeResult_throwsAndStaysClaimed() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withMaxValueBytes(8))
                .tasks();
        tasks.submit(TaskSpec.of("t1", "work", bytes("1")));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();

        assertThatThrownBy(() -> tasks.complete(lease, bytes("abcdefg")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9")
                .hasMessageContaining("8");
        assertThat(tasks.get("t1").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(tasks.complete(lease, bytes("abcdef"))).isEqualTo(LeaseOutcome.OK);
    }

    /**
     * No route shows a task's lease token (anyone who may read a task could complete it otherwise): the claim's
     * answer carries it, {@code GET} does not. Everything else is the contract's.
     */
    @Test
    @Override
    public void claim_queuedTask_claimedWithFreshLease() {
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
        assertThat(claimed.leaseToken()).as("no route shows the token").isZero();
        assertThat(first.task().leaseToken()).isEqualTo(first.token());
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(first.task())
                .usingRecursiveComparison()
                .ignoringFields("leaseToken")
                .isEqualTo(claimed);
        assertThat(tasks.leasesOf(ALICE)).extracting(Lease::taskId).containsExactly("t1");
        assertThat(tasks.leasesOf(ALICE).getFirst().token()).isEqualTo(first.token());
        assertThat(tasks.leasesOf(CAROL)).isEmpty();
    }

    /** The renewed lease keeps its token, seen through {@code leasesOf} (no route shows it on the task). */
    @Test
    @Override
    public void renew_currentLease_extendsFromNow() {
        TaskQueue tasks = state().tasks();
        tasks.submit(spec("t1"));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        clock().advance(Duration.ofSeconds(20));

        assertThat(tasks.renew(lease, Duration.ofMinutes(1))).isEqualTo(LeaseOutcome.OK);

        Task task = tasks.get("t1").orElseThrow();
        assertThat(task.leaseExpiresAt()).isEqualTo(clock().instant().plus(Duration.ofMinutes(1)));
        assertThat(tasks.leasesOf(ALICE).getFirst().token()).isEqualTo(lease.token());
        assertThat(tasks.leasesOf(ALICE).getFirst().expiresAt()).isEqualTo(task.leaseExpiresAt());
        clock().advance(Duration.ofSeconds(40));
        assertThat(tasks.complete(lease, bytes("done"))).isEqualTo(LeaseOutcome.OK);
    }

    /** The contract's announcements; the subjects name the stored ids ({@code acme_t1}, ADR 0030). */
    @Test
    @Override
    public void announcements_lifeOfTasks_namedInOrderWithGrowingRevisions() {
        CoordinationState state = state();
        TaskQueue tasks = state.tasks();
        List<StateChange> seen = announcements("colony.task.>");
        List<String> subjects = new CopyOnWriteArrayList<>();
        bus().subscribe(
                        SubjectPattern.of("colony.task.>"),
                        e -> subjects.add(e.subject().value()),
                        SubscribeOptions.direct());

        tasks.submit(spec("t1").withMaxAttempts(2));
        Lease lease = tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
        tasks.renew(lease, LEASE);
        tasks.fail(lease, "flaky", true);
        clock().advance(Duration.ofSeconds(1));
        tasks.claim(ALICE, Set.of(), LEASE).orElseThrow();
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
        assertThat(seen.getLast().value()).isInstanceOfSatisfying(Task.class, t -> {
            assertThat(t.id()).isEqualTo("t3");
            assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED);
        });
        assertThat(seen.get(1).value())
                .isInstanceOfSatisfying(Task.class, t -> assertThat(t.status()).isEqualTo(TaskStatus.CLAIMED));
        assertThat(subjects.getFirst()).isEqualTo("colony.task." + ACCOUNT + "t1.submitted");
        assertThat(subjects.getLast()).isEqualTo("colony.task." + ACCOUNT + "t3.cancelled");
    }

    /** The contract's retention by count; the tasks kept are read by status over HTTP, not from a snapshot. */
    @Test
    @Override
    public void retention_byCount_keepsTheLastFinishedOfEachKind() {
        TaskQueue tasks = state(StateOptions.defaults()
                        .withClock(new ManualClock())
                        .withSweepInterval(Duration.ZERO)
                        .withTaskRetention(new TaskRetention(TaskRetention.Keep.last(3), TaskRetention.Keep.last(1))))
                .tasks();
        for (int i = 1; i <= 6; i++) {
            String id = "ok" + i;
            tasks.submit(TaskSpec.of(id, "work", bytes(id)));
            assertThat(tasks.complete(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow(), bytes("done-" + id)))
                    .isEqualTo(LeaseOutcome.OK);
        }
        for (String id : List.of("ko1", "ko2")) {
            tasks.submit(TaskSpec.of(id, "work", bytes(id)));
            assertThat(tasks.fail(tasks.claim(ALICE, Set.of(), LEASE).orElseThrow(), "broken", false))
                    .isEqualTo(LeaseOutcome.OK);
        }
        tasks.submit(TaskSpec.of("c1", "work", bytes("c1")));
        assertThat(tasks.cancel("c1")).isTrue();

        assertThat(tasks.byStatus(TaskStatus.COMPLETED)).extracting(Task::id).containsExactly("ok4", "ok5", "ok6");
        assertThat(tasks.get("ok3")).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.DEAD)).isEmpty();
        assertThat(tasks.byStatus(TaskStatus.CANCELLED)).extracting(Task::id).containsExactly("c1");
        assertThat(Stream.of(TaskStatus.values())
                        .flatMap(s -> tasks.byStatus(s).stream())
                        .map(Task::id))
                .containsExactlyInAnyOrder("ok4", "ok5", "ok6", "c1");
    }
}
