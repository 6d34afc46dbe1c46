package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Work handed out under leases. A task is held by at most one agent at a time; an expired lease returns
 * the task to the queue (at-least-once), a failed attempt is retried with exponential backoff up to its
 * maximum attempts, then the task is DEAD with the reason.
 *
 * <p>Mutations may carry a {@link Fence}: refused with {@link LeaseOutcome#STALE_TERM} (or an empty
 * result) once the fence's group has a newer leader term.
 *
 * <p>Announcements: {@code colony.task.<id>.submitted|claimed|renewed|completed|failed|expired|dead|cancelled},
 * each with a {@link StateChange} whose value is the {@link Task} after the change. Linearizable;
 * thread-safe.
 */
public interface TaskQueue {

    /**
     * Queues a task; returns its id.
     *
     * @throws IllegalStateException if a task with that id exists (in any status)
     * @throws IllegalArgumentException if the payload is larger than the limit
     */
    String submit(TaskSpec task);

    /** {@link #submit(TaskSpec)}, refused (empty) if {@code fence} is stale. */
    Optional<String> submit(TaskSpec task, Fence fence);

    /**
     * The most tasks one batch call takes: {@link #submitAll}'s list, a batch claim's {@code max}, a batch
     * completion's list. A caller with more splits them into several calls.
     */
    int MAX_BATCH = 1_000;

    /**
     * Queues every task of {@code tasks} whose id is new, in list order (among tasks of one priority, the list's
     * order is the claim order); returns the ids it queued, in list order. A task whose id exists already (in any
     * status) is skipped, not an error as in {@link #submit(TaskSpec)}: a producer that does not know whether an
     * earlier call went through (a timeout, a lost connection) sends the same list again and gets back only what
     * this call added. Each task queued is announced as by {@code submit}, one {@code submitted} change per task
     * in list order. An empty list queues nothing and returns an empty list.
     *
     * <p>Backends that pay a round trip per call queue the whole list in one (on Redis, one function call, so the
     * list is queued atomically: no claim sees part of it; embedded, under one lock; ADR 0072). The default
     * method calls {@code submit} per task: each task linearizable, the list not atomic, and a payload over the
     * limit refused when its turn comes, after the tasks before it were queued.
     *
     * @throws IllegalArgumentException if the list has more than {@link #MAX_BATCH} tasks, two tasks with
     *     one id, or a payload larger than the value limit; nothing is queued then (but see the default)
     * @throws NullPointerException if {@code tasks} or one of its tasks is null; nothing is queued then
     */
    default List<String> submitAll(List<TaskSpec> tasks) {
        List<TaskSpec> batch = TaskBatch.check(tasks, Integer.MAX_VALUE);
        List<String> queued = new ArrayList<>(batch.size());
        for (TaskSpec task : batch) {
            try {
                queued.add(submit(task));
            } catch (IllegalStateException e) {
                if (get(task.id()).isEmpty()) {
                    throw e; // not a duplicate id: the queue refused (closed, a failed journal)
                }
            }
        }
        return List.copyOf(queued);
    }

    /**
     * Claims the highest-priority QUEUED task whose backoff is over and whose required capabilities
     * {@code capabilities} cover, for {@code lease}; empty when there is none.
     */
    Optional<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease);

    /**
     * Extends a current lease to now + {@code extension}. The token stays the same; the new expiry is in
     * {@link #get(String)} and {@link #leasesOf(AgentId)}.
     */
    LeaseOutcome renew(Lease lease, Duration extension);

    /** Completes the task with {@code result} (at most the value limit): {@code complete(lease, result, null)}. */
    default LeaseOutcome complete(Lease lease, byte[] result) {
        return complete(lease, result, null);
    }

    /**
     * Completes the task with {@code result} (at most the value limit) under {@code fence}, or under none when
     * it is null; {@code STALE_TERM} once the fence's group has a newer term.
     */
    LeaseOutcome complete(Lease lease, byte[] result, Fence fence);

    /**
     * A worker's loop in one step: completes {@code lease}'s task with {@code result} ({@code complete(lease,
     * result)}, no fence) and then claims the next task for the same agent ({@code claim(lease.holder(),
     * capabilities, nextLease)}), whatever the completion's outcome (a worker whose lease went stale still gets
     * work). The two steps are each linearizable and announced as they would be apart (completed, then
     * claimed); another caller may act between them. Backends that pay a round trip per call do both in one
     * (on Redis, one function call; ADR 0063), as job queues hand the next job to the worker that finished one.
     *
     * @throws IllegalArgumentException if {@code nextLease} is not positive or the result is larger than the
     *     limit; nothing is completed then
     */
    default Handoff completeAndClaim(Lease lease, byte[] result, Set<String> capabilities, Duration nextLease) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(result, "result");
        Set<String> offered = Set.copyOf(capabilities);
        Objects.requireNonNull(nextLease, "nextLease");
        if (nextLease.isNegative() || nextLease.isZero()) {
            throw new IllegalArgumentException("nextLease must be positive, got " + nextLease);
        }
        LeaseOutcome outcome = complete(lease, result);
        return new Handoff(outcome, claim(lease.holder(), offered, nextLease));
    }

    /**
     * Claims up to {@code max} tasks for {@code agent}, each as {@link #claim(AgentId, Set, Duration)} would in
     * turn (priority, then submission order), each under its own lease of {@code lease} from now; the leases in
     * claim order, fewer than {@code max} (or none) when fewer are claimable. A worker that takes several tasks
     * holds each lease from now on, also while it works on the ones before: it takes no more than it finishes
     * within the lease (or renews). Backends that pay a round trip per call claim them in one (on Redis, one
     * function call; ADR 0072); the default calls {@code claim} until it has {@code max} or gets none.
     *
     * @throws IllegalArgumentException if {@code lease} is not positive or {@code max} is not in 1..{@link
     *     #MAX_BATCH}; nothing is claimed then
     */
    default List<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease, int max) {
        Objects.requireNonNull(agent, "agent");
        Set<String> offered = Set.copyOf(capabilities);
        TaskBatch.checkClaim(lease, "lease", max);
        List<Lease> claimed = new ArrayList<>(Math.min(max, 64));
        while (claimed.size() < max) {
            Optional<Lease> next = claim(agent, offered, lease);
            if (next.isEmpty()) {
                break;
            }
            claimed.add(next.get());
        }
        return List.copyOf(claimed);
    }

    /**
     * {@link #claim(AgentId, Set, Duration, int)} that waits up to {@code wait} when nothing is claimable now: the
     * leases as soon as at least one task was claimed, or an empty list once {@code wait} has passed (or the
     * thread was interrupted while waiting, whose status is then set again; an interrupt during a call to the
     * backend fails as that call would). An idle worker calls this instead of claiming
     * again and again with a pause. A task that becomes claimable while the caller waits is claimed by one of the
     * callers waiting for it (or by any other claim), never left waiting out the {@code wait} while some waiter
     * could take it. Backends with a notification wait on it (on Redis, a wake-up token that whatever makes a
     * task ready pushes to each waiting claim; ADR 0076); the default claims again after 1, 2, 4, 8 and then
     * every 16 ms of real time until the deadline (the state's clock does not time the wait).
     *
     * @throws IllegalArgumentException if {@code lease} is not positive, {@code max} is not in 1..{@link
     *     #MAX_BATCH} or {@code wait} is negative; nothing is claimed then
     */
    default List<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease, int max, Duration wait) {
        Objects.requireNonNull(agent, "agent");
        Set<String> offered = Set.copyOf(capabilities);
        TaskBatch.checkClaim(lease, "lease", max);
        long deadline = System.nanoTime() + TaskBatch.checkWait(wait).toNanos();
        long pauseMs = 1;
        while (true) {
            List<Lease> claimed = claim(agent, offered, lease, max);
            long left = deadline - System.nanoTime();
            if (!claimed.isEmpty() || left <= 0) {
                return claimed;
            }
            try {
                Thread.sleep(Math.min(pauseMs, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
            pauseMs = Math.min(pauseMs * 2, 16);
        }
    }

    /**
     * A worker's loop for several tasks in one step: completes each of {@code completions} in order ({@code
     * complete(lease, result)}, no fence; a lease given twice is {@code NOT_CLAIMED} the second time) and then
     * claims up to {@code max} tasks for {@code agent} ({@link #claim(AgentId, Set, Duration, int)}), whatever the
     * outcomes. Each step is linearizable and announced as it would be alone (the completions in order, then the
     * claims); another caller may act between them. {@code completions} may be empty (only the claim). Backends
     * that pay a round trip per call do it all in one (on Redis, one function call; ADR 0072).
     *
     * @throws IllegalArgumentException if {@code nextLease} is not positive, {@code max} is not in 1..{@link
     *     #MAX_BATCH}, there are more than {@link #MAX_BATCH} completions, or a result is larger than the value
     *     limit; nothing is completed then (the default method checks a result's size when its turn comes)
     */
    default Handoffs completeAndClaim(
            AgentId agent, List<Completion> completions, Set<String> capabilities, Duration nextLease, int max) {
        Objects.requireNonNull(agent, "agent");
        List<Completion> done = TaskBatch.checkCompletions(completions);
        Set<String> offered = Set.copyOf(capabilities);
        TaskBatch.checkClaim(nextLease, "nextLease", max);
        List<LeaseOutcome> outcomes = new ArrayList<>(done.size());
        for (Completion completion : done) {
            outcomes.add(complete(completion.lease(), completion.result()));
        }
        return new Handoffs(outcomes, claim(agent, offered, nextLease, max));
    }

    /**
     * Ends the attempt: retried after backoff if {@code retryable} and attempts remain, DEAD otherwise,
     * with {@code reason} kept as the task's last error.
     */
    LeaseOutcome fail(Lease lease, String reason, boolean retryable);

    /** Cancels a QUEUED or CLAIMED task (its lease becomes stale); false if it was final or unknown. */
    boolean cancel(String taskId);

    /**
     * Leader-driven assignment: claims the highest-priority claimable task on behalf of an agent chosen
     * by {@code strategy} among the registered live agents able to do it. Empty when no task or no agent
     * fits, or when {@code fence} (nullable) is stale.
     */
    Optional<Lease> assign(AssignmentStrategy strategy, Duration lease, Fence fence);

    /**
     * Leader-driven assignment by a user's {@code chooser}: offers the highest-priority claimable task (then the
     * next group's head while the chooser declines or nobody can do it) with the live agents able to do it, and
     * claims it for the agent the chooser picks, atomically with a check that the task is still claimable and
     * the agent still eligible; a lost race offers again, a bounded number of times ({@link AgentChooser}, ADR
     * 0052). The chooser runs outside the queue's lock. Empty when no task or agent fits, the chooser declines
     * every task, {@code fence} (nullable) is stale, or {@link AssignmentRounds#MAX_ROUNDS} claims in a row lost
     * their race (try again).
     *
     * @throws IllegalArgumentException if the chooser picks an agent that is not one of the candidates (nothing
     *     is claimed)
     */
    Optional<Lease> assign(AgentChooser chooser, Duration lease, Fence fence);

    /** The task as the queue holds it now, in any status; empty if no task has this id. */
    Optional<Task> get(String taskId);

    /** The tasks in {@code status}, in submission order. */
    List<Task> byStatus(TaskStatus status);

    /**
     * How many tasks are in {@code status} now: O(1) in both backends (a counter, not a scan). Finished tasks
     * purged by the {@link TaskRetention} are not counted.
     */
    default long count(TaskStatus status) {
        return byStatus(status).size();
    }

    /** The leases {@code agent} holds now. */
    List<Lease> leasesOf(AgentId agent);
}
