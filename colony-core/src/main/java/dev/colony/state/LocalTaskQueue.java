package dev.colony.state;

import dev.colony.messaging.AgentId;
import dev.colony.state.TaskIndex.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded task queue. Every method runs under the state lock (see {@link LocalState}), except
 * {@link #assign(AgentChooser, Duration, Fence)}, which runs the user's chooser between two sections under it
 * ({@link AssignmentRounds}).
 *
 * <p>Every task submitted and not purged by the {@link TaskRetention} is in {@code slots}, in submission
 * order; the {@link TaskIndex} finds queued, delayed and claimed ones fast, {@link FinishedTasks} counts them
 * by status and remembers the finishing order for the purge. Every status change goes through
 * {@link #replace}. A purged id may be submitted again.
 *
 * <p>Expiry is judged by the clock, not by the sweeper: claim, assign, renew, complete and fail expire
 * every lapsed lease first (amortised O(log n) each), so a lapsed lease is stale whether or not the sweeper
 * ran. A slot's ordering fields are changed only while it is out of the ordered sets.
 */
final class LocalTaskQueue implements TaskQueue {
    private final LocalState state;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final TaskIndex index = new TaskIndex();
    private final TaskAssignment assignment = new TaskAssignment();
    private final FinishedTasks finished = new FinishedTasks();
    private long lastSeq;
    private long lastToken;

    LocalTaskQueue(LocalState state) {
        this.state = state;
    }

    private static String prefix(String taskId) {
        return "colony.task." + taskId;
    }

    /** Expires lapsed leases and announces them. Under the lock. */
    int expire(Changes changes, Instant now) {
        int expired = 0;
        Slot slot;
        while ((slot = index.firstLapsed(now)) != null) {
            Task task = slot.task;
            release(slot, "lease of " + task.holder() + " expired at " + task.leaseExpiresAt(), changes, now);
            expired++;
        }
        return expired;
    }

    /** Releases every lease {@code agent} holds (it failed or deregistered). Under the lock. */
    void releaseLeasesOf(AgentId agent, String reason, Changes changes, Instant now) {
        for (Slot slot : index.heldBy(agent)) {
            release(slot, reason, changes, now);
        }
    }

    /** How many leases {@code agent} holds. Under the lock. */
    int leaseCount(AgentId agent) {
        return index.leaseCount(agent);
    }

    @Override
    public String submit(TaskSpec task) {
        checkSubmittable(task);
        return state.write(changes -> submitLocked(task, changes));
    }

    @Override
    public Optional<String> submit(TaskSpec task, Fence fence) {
        checkSubmittable(task);
        Objects.requireNonNull(fence, "fence");
        return state.write(
                changes -> state.fenceHolds(fence) ? Optional.of(submitLocked(task, changes)) : Optional.empty());
    }

    /** The whole list under one lock: duplicates skipped, the rest queued and announced in list order. */
    @Override
    public List<String> submitAll(List<TaskSpec> tasks) {
        List<TaskSpec> batch = state.options.checkBatch(tasks);
        if (batch.isEmpty()) {
            return List.of();
        }
        return state.write(changes -> {
            List<String> queued = new ArrayList<>(batch.size());
            for (TaskSpec task : batch) {
                if (!slots.containsKey(task.id())) {
                    queued.add(submitLocked(task, changes));
                }
            }
            return List.copyOf(queued);
        });
    }

    /** The default's steps, after checking every result's size first (so an oversized one completes nothing). */
    @Override
    public Handoffs completeAndClaim(
            AgentId agent, List<Completion> completions, Set<String> capabilities, Duration nextLease, int max) {
        state.options.checkCompletions(completions, nextLease, max);
        return TaskQueue.super.completeAndClaim(agent, completions, capabilities, nextLease, max);
    }

    private void checkSubmittable(TaskSpec task) {
        Objects.requireNonNull(task, "task");
        state.options.checkSize("payload of task \"" + task.id() + "\"", task.payload().length);
    }

    private String submitLocked(TaskSpec spec, Changes changes) {
        Slot existing = slots.get(spec.id());
        if (existing != null) {
            throw new IllegalStateException(
                    "task \"" + spec.id() + "\" exists already (status " + existing.task.status() + ")");
        }
        Task task = Task.submitted(spec, state.now());
        Slot slot = new Slot(++lastSeq, task);
        slots.put(spec.id(), slot);
        finished.moved(spec.id(), null, TaskStatus.QUEUED, task.submittedAt());
        index.place(slot);
        changes.record(prefix(spec.id()), "submitted", task);
        return spec.id();
    }

    @Override
    public Optional<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease) {
        Objects.requireNonNull(agent, "agent");
        Set<String> offered = Set.copyOf(capabilities);
        positive(lease, "lease");
        return state.write(changes -> {
            Instant now = catchUp(changes);
            Slot best = index.best(offered);
            return best == null ? Optional.empty() : Optional.of(claimLocked(best, agent, lease, now, changes));
        });
    }

    @Override
    public Optional<Lease> assign(AssignmentStrategy strategy, Duration lease, Fence fence) {
        Objects.requireNonNull(strategy, "strategy");
        positive(lease, "lease");
        return state.write(changes -> {
            if (!state.fenceHolds(fence)) {
                return Optional.empty();
            }
            Instant now = catchUp(changes);
            List<AgentRecord> working = state.registry.workingLocked();
            if (working.isEmpty()) {
                return Optional.empty();
            }
            // A group's tasks share their requirements, so a group without an eligible agent is skipped whole.
            for (Slot head : index.heads()) {
                AgentId agent =
                        assignment.choose(strategy, working, head.task.spec().requiredCapabilities(), this::leaseCount);
                if (agent != null) {
                    return Optional.of(claimLocked(head, agent, lease, now, changes));
                }
            }
            return Optional.empty();
        });
    }

    /** Chooses outside the state lock; offers and claims under it (see {@link AssignmentRounds}). */
    @Override
    public Optional<Lease> assign(AgentChooser chooser, Duration lease, Fence fence) {
        Objects.requireNonNull(chooser, "chooser");
        positive(lease, "lease");
        return AssignmentRounds.assign(chooser, lease, fence, chosenClaims);
    }

    private final AssignmentRounds.Claims chosenClaims = new AssignmentRounds.Claims() {
        @Override
        public AssignmentRounds.Offer offer(Fence fence) {
            return state.write(changes -> {
                if (!state.fenceHolds(fence)) {
                    return null;
                }
                catchUp(changes);
                List<AgentChooser.Candidate> working = new ArrayList<>();
                for (AgentRecord agent : state.registry.workingLocked()) {
                    working.add(new AgentChooser.Candidate(agent, leaseCount(agent.id())));
                }
                List<TaskSpec> heads = new ArrayList<>();
                if (!working.isEmpty()) {
                    index.heads().forEach(head -> heads.add(head.task.spec()));
                }
                return new AssignmentRounds.Offer(heads, working);
            });
        }

        @Override
        public Optional<Lease> claim(String taskId, AgentId agent, Duration lease, Fence fence) {
            return state.write(changes -> {
                if (!state.fenceHolds(fence)) {
                    return Optional.empty();
                }
                Instant now = catchUp(changes);
                Slot slot = slots.get(taskId);
                if (slot == null || !index.isReady(slot) || !state.registry.isWorkingWith(agent, slot.task.spec())) {
                    return Optional.empty();
                }
                return Optional.of(claimLocked(slot, agent, lease, now, changes));
            });
        }
    };

    @Override
    public LeaseOutcome renew(Lease lease, Duration extension) {
        Objects.requireNonNull(lease, "lease");
        positive(extension, "extension");
        return state.write(changes -> {
            Instant now = catchUp(changes);
            Slot slot = slots.get(lease.taskId());
            LeaseOutcome outcome = check(slot, lease);
            if (outcome == LeaseOutcome.OK) {
                index.renew(slot, slot.task.renewed(now.plus(extension)));
                changes.record(prefix(lease.taskId()), "renewed", slot.task);
            }
            return outcome;
        });
    }

    @Override
    public LeaseOutcome complete(Lease lease, byte[] result, Fence fence) {
        Objects.requireNonNull(lease, "lease");
        byte[] copy = Objects.requireNonNull(result, "result").clone();
        state.options.checkSize("result of task \"" + lease.taskId() + "\"", copy.length);
        return state.write(changes -> {
            if (!state.fenceHolds(fence)) {
                return LeaseOutcome.STALE_TERM;
            }
            Instant now = catchUp(changes);
            Slot slot = slots.get(lease.taskId());
            LeaseOutcome outcome = check(slot, lease);
            if (outcome == LeaseOutcome.OK) {
                index.remove(slot);
                replace(slot, slot.task.completed(copy), now);
                changes.record(prefix(lease.taskId()), "completed", slot.task);
                purge(now);
            }
            return outcome;
        });
    }

    @Override
    public LeaseOutcome fail(Lease lease, String reason, boolean retryable) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(reason, "reason");
        return state.write(changes -> {
            Instant now = catchUp(changes);
            Slot slot = slots.get(lease.taskId());
            LeaseOutcome outcome = check(slot, lease);
            if (outcome == LeaseOutcome.OK) {
                index.remove(slot);
                replace(slot, slot.task.failed(reason, retryable, now.plus(backoff(slot.task.attempts()))), now);
                if (slot.task.status() == TaskStatus.QUEUED) {
                    index.place(slot);
                    changes.record(prefix(lease.taskId()), "failed", slot.task);
                } else {
                    changes.record(prefix(lease.taskId()), "dead", slot.task);
                    purge(now);
                }
            }
            return outcome;
        });
    }

    @Override
    public boolean cancel(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        return state.write(changes -> {
            Slot slot = slots.get(taskId);
            if (slot == null) {
                return false;
            }
            if (!TaskTransition.CANCEL.allowedFrom(slot.task.status())) {
                return false; // already final
            }
            index.remove(slot);
            Instant now = state.now();
            replace(slot, slot.task.cancelled(), now);
            changes.record(prefix(taskId), "cancelled", slot.task);
            purge(now);
            return true;
        });
    }

    @Override
    public Optional<Task> get(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        return state.read(() -> {
            Slot slot = slots.get(taskId);
            return slot == null ? Optional.empty() : Optional.of(slot.task);
        });
    }

    @Override
    public long count(TaskStatus status) {
        Objects.requireNonNull(status, "status");
        return state.read(() -> finished.count(status));
    }

    @Override
    public List<Task> byStatus(TaskStatus status) {
        Objects.requireNonNull(status, "status");
        return state.read(() -> {
            List<Task> selected = new ArrayList<>();
            for (Slot slot : slots.values()) {
                if (slot.task.status() == status) {
                    selected.add(slot.task);
                }
            }
            return List.copyOf(selected);
        });
    }

    /** Leases that lapsed by the clock but were not expired yet are not held, so they are left out. */
    @Override
    public List<Lease> leasesOf(AgentId agent) {
        Objects.requireNonNull(agent, "agent");
        return state.read(() -> {
            List<Slot> slotsHeld = index.heldBy(agent);
            Instant now = state.now();
            List<Lease> leases = new ArrayList<>(slotsHeld.size());
            for (Slot slot : slotsHeld) {
                if (!lapsed(slot.task, now)) {
                    leases.add(slot.task.lease());
                }
            }
            return List.copyOf(leases);
        });
    }

    /** Expires lapsed leases and readies tasks whose backoff ended; returns the time. Under the lock. */
    private Instant catchUp(Changes changes) {
        Instant now = state.now();
        expire(changes, now);
        index.readyDue(now);
        return now;
    }

    /**
     * OK if {@code lease} is the task's current, unexpired one (lapsed leases are expired by
     * {@link #catchUp} first). A task that went back to the queue, or was claimed again, makes the lease
     * STALE_LEASE; an unknown or final task (completed, dead, cancelled) NOT_CLAIMED.
     */
    private static LeaseOutcome check(Slot slot, Lease lease) {
        if (slot == null) {
            return LeaseOutcome.NOT_CLAIMED;
        }
        return switch (slot.task.status()) {
            case CLAIMED -> slot.task.leaseToken() == lease.token() ? LeaseOutcome.OK : LeaseOutcome.STALE_LEASE;
            case QUEUED -> LeaseOutcome.STALE_LEASE;
            case COMPLETED, DEAD, CANCELLED -> LeaseOutcome.NOT_CLAIMED;
        };
    }

    private Lease claimLocked(Slot slot, AgentId agent, Duration lease, Instant now, Changes changes) {
        index.remove(slot);
        replace(slot, slot.task.claimed(agent, ++lastToken, now.plus(lease)), now);
        index.place(slot);
        changes.record(prefix(slot.task.id()), "claimed", slot.task);
        return slot.task.lease();
    }

    /** Ends a CLAIMED task's lease as if it expired: queued again while attempts remain, DEAD otherwise. */
    private void release(Slot slot, String reason, Changes changes, Instant now) {
        index.remove(slot);
        replace(slot, slot.task.released(reason), now);
        if (slot.task.status() == TaskStatus.QUEUED) {
            index.place(slot);
            changes.record(prefix(slot.task.id()), "expired", slot.task);
        } else {
            changes.record(prefix(slot.task.id()), "dead", slot.task);
        }
    }

    /** Sets the slot's task to {@code next}, keeping the counts and the finishing order. Under the lock. */
    private void replace(Slot slot, Task next, Instant now) {
        finished.moved(next.id(), slot.task.status(), next.status(), now);
        slot.task = next;
    }

    /**
     * Removes the finished tasks the retention no longer keeps (silently: nothing about them changes). Called
     * after a task finished and by the sweep. Under the lock.
     */
    void purge(Instant now) {
        for (String id : finished.purge(state.options.taskRetention(), now)) {
            slots.remove(id);
        }
    }

    private static boolean lapsed(Task task, Instant now) {
        return !now.isBefore(task.leaseExpiresAt());
    }

    /** Every task in submission order, for a snapshot. Under the lock. */
    List<Task> exportLocked() {
        List<Task> all = new ArrayList<>(slots.size());
        for (Slot slot : slots.values()) {
            all.add(slot.task);
        }
        return all;
    }

    /** The last lease token handed out. Under the lock. */
    long lastTokenLocked() {
        return lastToken;
    }

    /**
     * Replaces every task with {@code tasks} (in submission order) and continues tokens after
     * {@code lastToken}. Under the lock; the caller has validated the tasks.
     */
    void importLocked(List<Task> tasks, long restoredLastToken) {
        slots.clear();
        index.clear();
        finished.clear();
        lastSeq = 0;
        Instant now = state.now();
        for (Task task : tasks) {
            Slot slot = new Slot(++lastSeq, task);
            if (slots.putIfAbsent(task.id(), slot) != null) {
                throw new IllegalArgumentException("task \"" + task.id() + "\" appears twice");
            }
            finished.moved(
                    task.id(), null, task.status(), now); // finish times are not kept: restored ones count from now
            if (task.status() == TaskStatus.CLAIMED && (task.holder() == null || task.leaseExpiresAt() == null)) {
                throw new IllegalArgumentException("claimed task \"" + task.id() + "\" has no holder or lease");
            }
            index.place(slot);
        }
        lastToken = restoredLastToken;
    }

    /**
     * Replays a journaled change: the task's image after it, moved to the structure of its new status (a
     * new task is appended in submission order). Under the lock.
     */
    void applyLocked(Task task) {
        Slot slot = slots.get(task.id());
        Instant now = state.now();
        if (slot == null) {
            slot = new Slot(++lastSeq, task);
            slots.put(task.id(), slot);
            finished.moved(task.id(), null, task.status(), now);
        } else {
            index.remove(slot);
            replace(slot, task, now);
        }
        index.place(slot);
        lastToken = Math.max(lastToken, task.leaseToken());
        purge(now);
    }

    /** retryBackoff · 2^(attempts - 1), at most maxRetryBackoff. */
    private Duration backoff(int attempts) {
        Duration max = state.options.maxRetryBackoff();
        Duration backoff = state.options.retryBackoff();
        for (int i = 1; i < attempts && backoff.compareTo(max) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(max) < 0 ? backoff : max;
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
