package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The embedded task queue. Every method runs under the state lock (see {@link LocalState}).
 *
 * <p>Structures, all guarded by the state lock, each task ({@link Slot}) in exactly one of the status sets:
 *
 * <ul>
 *   <li>{@code slots}: every task ever submitted, in submission order (ids are never reused);
 *   <li>{@code ready}: QUEUED tasks whose backoff is over, one ordered set per distinct set of required
 *       capabilities, each ordered by (priority descending, submission sequence). A claim compares the
 *       heads of the groups the agent's capabilities cover: O(groups · log n), not O(tasks);
 *   <li>{@code delayed}: QUEUED tasks waiting for their retry backoff, by (notBefore, sequence); every
 *       operation first moves the due ones to {@code ready};
 *   <li>{@code claimed}: CLAIMED tasks by (lease expiry, sequence), so expiry looks only at lapsed leases;
 *   <li>{@code held}: each agent's CLAIMED tasks, in claim order.
 * </ul>
 *
 * <p>Expiry is judged by the clock, not by the sweeper: claim, assign, renew, complete and fail expire
 * every lapsed lease first (amortised O(log n) each), so a lapsed lease is stale whether or not the sweeper
 * ran. A slot's ordering fields are changed only while it is out of the ordered sets.
 */
final class LocalTaskQueue implements TaskQueue {
    private static final Comparator<Slot> BY_PRIORITY =
            Comparator.<Slot>comparingInt(s -> -s.task.spec().priority()).thenComparingLong(s -> s.seq);
    private static final Comparator<Slot> BY_NOT_BEFORE =
            Comparator.<Slot, Instant>comparing(s -> s.task.notBefore()).thenComparingLong(s -> s.seq);
    private static final Comparator<Slot> BY_EXPIRY =
            Comparator.<Slot, Instant>comparing(s -> s.task.leaseExpiresAt()).thenComparingLong(s -> s.seq);

    private final LocalState state;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Map<Set<String>, TreeSet<Slot>> ready = new HashMap<>();
    private final TreeSet<Slot> delayed = new TreeSet<>(BY_NOT_BEFORE);
    private final TreeSet<Slot> claimed = new TreeSet<>(BY_EXPIRY);
    private final Map<AgentId, Set<Slot>> held = new HashMap<>();
    private final TaskAssignment assignment = new TaskAssignment();
    private long lastSeq;
    private long lastToken;

    /** One task and its place in submission order. */
    private static final class Slot {
        final long seq;
        Task task;

        Slot(long seq, Task task) {
            this.seq = seq;
            this.task = task;
        }
    }

    LocalTaskQueue(LocalState state) {
        this.state = state;
    }

    private static String prefix(String taskId) {
        return "colony.task." + taskId;
    }

    /** Expires lapsed leases and announces them. Under the lock. */
    int expire(Changes changes, Instant now) {
        int expired = 0;
        while (!claimed.isEmpty() && lapsed(claimed.first().task, now)) {
            Slot slot = claimed.first();
            Task task = slot.task;
            release(slot, "lease of " + task.holder() + " expired at " + task.leaseExpiresAt(), changes, now);
            expired++;
        }
        return expired;
    }

    /** Releases every lease {@code agent} holds (it failed or deregistered). Under the lock. */
    void releaseLeasesOf(AgentId agent, String reason, Changes changes, Instant now) {
        Set<Slot> slotsHeld = held.get(agent);
        if (slotsHeld == null) {
            return;
        }
        for (Slot slot : List.copyOf(slotsHeld)) {
            release(slot, reason, changes, now);
        }
    }

    /** How many leases {@code agent} holds. Under the lock. */
    int leaseCount(AgentId agent) {
        Set<Slot> slotsHeld = held.get(agent);
        return slotsHeld == null ? 0 : slotsHeld.size();
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

    private void checkSubmittable(TaskSpec task) {
        Objects.requireNonNull(task, "task");
        checkSize("payload of task \"" + task.id() + "\"", task.payload().length);
    }

    private void checkSize(String what, int size) {
        int limit = state.options.maxValueBytes();
        if (size > limit) {
            throw new IllegalArgumentException(
                    what + " is " + size + " bytes, larger than the limit of " + limit + " bytes (maxValueBytes)");
        }
    }

    private String submitLocked(TaskSpec spec, Changes changes) {
        Slot existing = slots.get(spec.id());
        if (existing != null) {
            throw new IllegalStateException(
                    "task \"" + spec.id() + "\" exists already (status " + existing.task.status() + ")");
        }
        Task task = new Task(spec, TaskStatus.QUEUED, 0, null, 0, null, null, null, null, state.now());
        Slot slot = new Slot(++lastSeq, task);
        slots.put(spec.id(), slot);
        enqueue(slot);
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
            Slot best = null;
            for (Map.Entry<Set<String>, TreeSet<Slot>> group : ready.entrySet()) {
                if (offered.containsAll(group.getKey())) {
                    Slot head = group.getValue().first();
                    if (best == null || BY_PRIORITY.compare(head, best) < 0) {
                        best = head;
                    }
                }
            }
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
            List<Slot> heads = new ArrayList<>(ready.size());
            ready.values().forEach(group -> heads.add(group.first()));
            heads.sort(BY_PRIORITY);
            for (Slot head : heads) {
                AgentId agent =
                        assignment.choose(strategy, working, head.task.spec().requiredCapabilities(), this::leaseCount);
                if (agent != null) {
                    return Optional.of(claimLocked(head, agent, lease, now, changes));
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public LeaseOutcome renew(Lease lease, Duration extension) {
        Objects.requireNonNull(lease, "lease");
        positive(extension, "extension");
        return state.write(changes -> {
            Instant now = catchUp(changes);
            Slot slot = slots.get(lease.taskId());
            LeaseOutcome outcome = check(slot, lease);
            if (outcome == LeaseOutcome.OK) {
                claimed.remove(slot);
                slot.task = with(slot.task, TaskStatus.CLAIMED, slot.task.holder(), lease.token(), now.plus(extension));
                claimed.add(slot);
                changes.record(prefix(lease.taskId()), "renewed", slot.task);
            }
            return outcome;
        });
    }

    @Override
    public LeaseOutcome complete(Lease lease, byte[] result) {
        return completeFenced(lease, result, null);
    }

    @Override
    public LeaseOutcome complete(Lease lease, byte[] result, Fence fence) {
        return completeFenced(lease, result, Objects.requireNonNull(fence, "fence"));
    }

    private LeaseOutcome completeFenced(Lease lease, byte[] result, Fence fence) {
        Objects.requireNonNull(lease, "lease");
        byte[] copy = Objects.requireNonNull(result, "result").clone();
        checkSize("result of task \"" + lease.taskId() + "\"", copy.length);
        return state.write(changes -> {
            if (!state.fenceHolds(fence)) {
                return LeaseOutcome.STALE_TERM;
            }
            catchUp(changes);
            Slot slot = slots.get(lease.taskId());
            LeaseOutcome outcome = check(slot, lease);
            if (outcome == LeaseOutcome.OK) {
                unclaim(slot);
                Task t = slot.task;
                slot.task = new Task(
                        t.spec(),
                        TaskStatus.COMPLETED,
                        t.attempts(),
                        null,
                        0,
                        null,
                        null,
                        copy,
                        t.lastError(),
                        t.submittedAt());
                changes.record(prefix(lease.taskId()), "completed", slot.task);
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
                unclaim(slot);
                Task t = slot.task;
                if (retryable && t.attempts() < t.spec().maxAttempts()) {
                    Instant notBefore = now.plus(backoff(t.attempts()));
                    slot.task = new Task(
                            t.spec(),
                            TaskStatus.QUEUED,
                            t.attempts(),
                            null,
                            0,
                            null,
                            notBefore,
                            null,
                            reason,
                            t.submittedAt());
                    enqueue(slot);
                    changes.record(prefix(lease.taskId()), "failed", slot.task);
                } else {
                    slot.task = dead(t, reason);
                    changes.record(prefix(lease.taskId()), "dead", slot.task);
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
            Task t = slot.task;
            switch (t.status()) {
                case QUEUED -> dequeue(slot);
                case CLAIMED -> unclaim(slot);
                case COMPLETED, DEAD, CANCELLED -> {
                    return false;
                }
            }
            slot.task = new Task(
                    t.spec(),
                    TaskStatus.CANCELLED,
                    t.attempts(),
                    null,
                    0,
                    null,
                    null,
                    null,
                    t.lastError(),
                    t.submittedAt());
            changes.record(prefix(taskId), "cancelled", slot.task);
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
            Set<Slot> slotsHeld = held.get(agent);
            if (slotsHeld == null) {
                return List.of();
            }
            Instant now = state.now();
            List<Lease> leases = new ArrayList<>(slotsHeld.size());
            for (Slot slot : slotsHeld) {
                if (!lapsed(slot.task, now)) {
                    leases.add(lease(slot.task));
                }
            }
            return List.copyOf(leases);
        });
    }

    /** Expires lapsed leases and readies tasks whose backoff ended; returns the time. Under the lock. */
    private Instant catchUp(Changes changes) {
        Instant now = state.now();
        expire(changes, now);
        while (!delayed.isEmpty() && !delayed.first().task.notBefore().isAfter(now)) {
            Slot slot = delayed.pollFirst();
            ready.computeIfAbsent(slot.task.spec().requiredCapabilities(), k -> new TreeSet<>(BY_PRIORITY))
                    .add(slot);
        }
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
        dequeue(slot);
        Task t = slot.task;
        Task claimedTask = new Task(
                t.spec(),
                TaskStatus.CLAIMED,
                t.attempts() + 1,
                agent,
                ++lastToken,
                now.plus(lease),
                null,
                null,
                t.lastError(),
                t.submittedAt());
        slot.task = claimedTask;
        claimed.add(slot);
        held.computeIfAbsent(agent, k -> new LinkedHashSet<>()).add(slot);
        changes.record(prefix(t.id()), "claimed", claimedTask);
        return lease(claimedTask);
    }

    /** Ends a CLAIMED task's lease as if it expired: queued again while attempts remain, DEAD otherwise. */
    private void release(Slot slot, String reason, Changes changes, Instant now) {
        unclaim(slot);
        Task t = slot.task;
        if (t.attempts() < t.spec().maxAttempts()) {
            slot.task = new Task(
                    t.spec(), TaskStatus.QUEUED, t.attempts(), null, 0, null, null, null, reason, t.submittedAt());
            enqueue(slot);
            changes.record(prefix(t.id()), "expired", slot.task);
        } else {
            slot.task = dead(
                    t,
                    reason + "; out of attempts (" + t.attempts() + " of "
                            + t.spec().maxAttempts() + ")");
            changes.record(prefix(t.id()), "dead", slot.task);
        }
    }

    private static Task dead(Task t, String reason) {
        return new Task(t.spec(), TaskStatus.DEAD, t.attempts(), null, 0, null, null, null, reason, t.submittedAt());
    }

    private static Task with(Task t, TaskStatus status, AgentId holder, long token, Instant expiresAt) {
        return new Task(
                t.spec(),
                status,
                t.attempts(),
                holder,
                token,
                expiresAt,
                t.notBefore(),
                t.result(),
                t.lastError(),
                t.submittedAt());
    }

    private static Lease lease(Task task) {
        return new Lease(task.id(), task.holder(), task.leaseToken(), task.leaseExpiresAt(), task.attempts(), task);
    }

    private static boolean lapsed(Task task, Instant now) {
        return !now.isBefore(task.leaseExpiresAt());
    }

    /** Adds a QUEUED slot to {@code ready}, or to {@code delayed} while its backoff lasts. */
    private void enqueue(Slot slot) {
        if (slot.task.notBefore() != null) {
            delayed.add(slot);
        } else {
            ready.computeIfAbsent(slot.task.spec().requiredCapabilities(), k -> new TreeSet<>(BY_PRIORITY))
                    .add(slot);
        }
    }

    /** Removes a QUEUED slot from {@code ready} or {@code delayed}. */
    private void dequeue(Slot slot) {
        // ready first: a slot moved there after its backoff keeps its notBefore, and delayed's comparator
        // cannot compare a slot without one
        Set<String> key = slot.task.spec().requiredCapabilities();
        TreeSet<Slot> group = ready.get(key);
        if (group != null && group.remove(slot)) {
            if (group.isEmpty()) {
                ready.remove(key);
            }
            return;
        }
        delayed.remove(slot);
    }

    /** Removes a CLAIMED slot from {@code claimed} and its holder's leases. */
    private void unclaim(Slot slot) {
        claimed.remove(slot);
        AgentId holder = slot.task.holder();
        Set<Slot> slotsHeld = held.get(holder);
        slotsHeld.remove(slot);
        if (slotsHeld.isEmpty()) {
            held.remove(holder);
        }
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
        ready.clear();
        delayed.clear();
        claimed.clear();
        held.clear();
        lastSeq = 0;
        for (Task task : tasks) {
            Slot slot = new Slot(++lastSeq, task);
            if (slots.putIfAbsent(task.id(), slot) != null) {
                throw new IllegalArgumentException("task \"" + task.id() + "\" appears twice");
            }
            switch (task.status()) {
                case QUEUED -> enqueue(slot);
                case CLAIMED -> {
                    if (task.holder() == null || task.leaseExpiresAt() == null) {
                        throw new IllegalArgumentException("claimed task \"" + task.id() + "\" has no holder or lease");
                    }
                    claimed.add(slot);
                    held.computeIfAbsent(task.holder(), k -> new LinkedHashSet<>())
                            .add(slot);
                }
                case COMPLETED, DEAD, CANCELLED -> {}
            }
        }
        lastToken = restoredLastToken;
    }

    /**
     * Replays a journaled change: the task's image after it, moved to the structure of its new status (a
     * new task is appended in submission order). Under the lock.
     */
    void applyLocked(Task task) {
        Slot slot = slots.get(task.id());
        if (slot == null) {
            slot = new Slot(++lastSeq, task);
            slots.put(task.id(), slot);
        } else {
            switch (slot.task.status()) {
                case QUEUED -> dequeue(slot);
                case CLAIMED -> unclaim(slot);
                case COMPLETED, DEAD, CANCELLED -> {}
            }
            slot.task = task;
        }
        switch (task.status()) {
            case QUEUED -> enqueue(slot);
            case CLAIMED -> {
                claimed.add(slot);
                held.computeIfAbsent(task.holder(), k -> new LinkedHashSet<>()).add(slot);
            }
            case COMPLETED, DEAD, CANCELLED -> {}
        }
        lastToken = Math.max(lastToken, task.leaseToken());
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
