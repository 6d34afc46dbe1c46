package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the task queue finds its tasks fast, by status. Guarded by the state lock, like the queue.
 *
 * <ul>
 *   <li>{@code ready}: QUEUED tasks whose backoff is over, one ordered set per distinct set of required
 *       capabilities, each ordered by (priority descending, submission sequence). A claim compares the
 *       heads of the groups the agent's capabilities cover: O(groups · log n), not O(tasks);
 *   <li>{@code delayed}: QUEUED tasks waiting for their retry backoff, by (notBefore, sequence);
 *   <li>{@code claimed}: CLAIMED tasks by (lease expiry, sequence), so expiry looks only at lapsed leases;
 *   <li>{@code held}: each agent's CLAIMED tasks, in claim order.
 * </ul>
 *
 * A slot is in the structures of its task's status (none for final tasks). Its task changes only while it
 * is out of them ({@link #remove}, change, {@link #place}), because the ordered sets sort by its fields.
 */
final class TaskIndex {
    static final Comparator<Slot> BY_PRIORITY =
            Comparator.<Slot>comparingInt(s -> -s.task.spec().priority()).thenComparingLong(s -> s.seq);
    private static final Comparator<Slot> BY_NOT_BEFORE =
            Comparator.<Slot, Instant>comparing(s -> s.task.notBefore()).thenComparingLong(s -> s.seq);
    private static final Comparator<Slot> BY_EXPIRY =
            Comparator.<Slot, Instant>comparing(s -> s.task.leaseExpiresAt()).thenComparingLong(s -> s.seq);

    private final Map<Set<String>, TreeSet<Slot>> ready = new HashMap<>();
    private final TreeSet<Slot> delayed = new TreeSet<>(BY_NOT_BEFORE);
    private final TreeSet<Slot> claimed = new TreeSet<>(BY_EXPIRY);
    private final Map<AgentId, Set<Slot>> held = new HashMap<>();

    /** One task and its place in submission order. */
    static final class Slot {
        final long seq;
        Task task;

        Slot(long seq, Task task) {
            this.seq = seq;
            this.task = task;
        }
    }

    void clear() {
        ready.clear();
        delayed.clear();
        claimed.clear();
        held.clear();
    }

    /** Adds {@code slot} to the structures of its task's status. */
    void place(Slot slot) {
        Task task = slot.task;
        switch (task.status()) {
            case QUEUED -> {
                if (task.notBefore() != null) {
                    delayed.add(slot);
                } else {
                    readyGroup(task).add(slot);
                }
            }
            case CLAIMED -> {
                claimed.add(slot);
                held.computeIfAbsent(task.holder(), k -> new LinkedHashSet<>()).add(slot);
            }
            case COMPLETED, DEAD, CANCELLED -> {}
        }
    }

    /** Takes {@code slot} out of the structures of its task's status. */
    void remove(Slot slot) {
        switch (slot.task.status()) {
            case QUEUED -> {
                // ready first: a slot moved there after its backoff keeps its notBefore, and delayed's
                // comparator cannot compare a slot without one
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
            case CLAIMED -> {
                claimed.remove(slot);
                AgentId holder = slot.task.holder();
                Set<Slot> slotsHeld = held.get(holder);
                slotsHeld.remove(slot);
                if (slotsHeld.isEmpty()) {
                    held.remove(holder);
                }
            }
            case COMPLETED, DEAD, CANCELLED -> {}
        }
    }

    /** Replaces a CLAIMED slot's task by {@code renewed} (a new expiry), keeping its place among the holder's. */
    void renew(Slot slot, Task renewed) {
        claimed.remove(slot);
        slot.task = renewed;
        claimed.add(slot);
    }

    /** The CLAIMED slot whose lease ends first, if it lapsed by {@code now}; otherwise null. */
    Slot firstLapsed(Instant now) {
        if (claimed.isEmpty()) {
            return null;
        }
        Slot first = claimed.first();
        return now.isBefore(first.task.leaseExpiresAt()) ? null : first;
    }

    /** Moves the QUEUED slots whose backoff ended by {@code now} to {@code ready}. */
    void readyDue(Instant now) {
        while (!delayed.isEmpty() && !delayed.first().task.notBefore().isAfter(now)) {
            Slot slot = delayed.pollFirst();
            readyGroup(slot.task).add(slot);
        }
    }

    private TreeSet<Slot> readyGroup(Task task) {
        return ready.computeIfAbsent(task.spec().requiredCapabilities(), k -> new TreeSet<>(BY_PRIORITY));
    }

    /** The highest-priority ready slot whose requirements {@code offered} covers, or null. */
    Slot best(Set<String> offered) {
        Slot best = null;
        for (Map.Entry<Set<String>, TreeSet<Slot>> group : ready.entrySet()) {
            if (offered.containsAll(group.getKey())) {
                Slot head = group.getValue().first();
                if (best == null || BY_PRIORITY.compare(head, best) < 0) {
                    best = head;
                }
            }
        }
        return best;
    }

    /** Whether {@code slot} is QUEUED with its backoff over (claimable now). */
    boolean isReady(Slot slot) {
        TreeSet<Slot> group = ready.get(slot.task.spec().requiredCapabilities());
        return group != null && group.contains(slot);
    }

    /** The head of every ready group, highest priority first. */
    List<Slot> heads() {
        List<Slot> heads = new ArrayList<>(ready.size());
        ready.values().forEach(group -> heads.add(group.first()));
        heads.sort(BY_PRIORITY);
        return heads;
    }

    /** The CLAIMED slots {@code agent} holds, in claim order (a copy). */
    List<Slot> heldBy(AgentId agent) {
        Set<Slot> slotsHeld = held.get(agent);
        return slotsHeld == null ? List.of() : List.copyOf(slotsHeld);
    }

    int leaseCount(AgentId agent) {
        Set<Slot> slotsHeld = held.get(agent);
        return slotsHeld == null ? 0 : slotsHeld.size();
    }
}
