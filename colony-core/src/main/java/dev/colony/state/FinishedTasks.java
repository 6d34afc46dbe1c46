package dev.colony.state;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded task queue's counts by status and its finished tasks in finishing order, for O(1) counts and
 * for the {@link TaskRetention} purge. Guarded by the state lock, like the queue.
 *
 * <p>Every status change goes through {@link #moved}; finished tasks join one of two FIFO queues (completed;
 * dead or cancelled) stamped with the time they finished, so the oldest is always at the head: a purge by
 * count or by age looks only at heads, O(1) per purged task.
 */
final class FinishedTasks {
    private record Finished(String id, TaskStatus status, Instant at) {}

    private final long[] counts = new long[TaskStatus.values().length];
    private final ArrayDeque<Finished> completed = new ArrayDeque<>();
    private final ArrayDeque<Finished> failed = new ArrayDeque<>();

    /** Task {@code id} went from {@code from} (null: it is new) to {@code to} at {@code now}. */
    void moved(String id, TaskStatus from, TaskStatus to, Instant now) {
        if (from == to) {
            return; // a replayed change that kept the status
        }
        if (from != null) {
            counts[from.ordinal()]--;
        }
        counts[to.ordinal()]++;
        switch (to) {
            case COMPLETED -> completed.addLast(new Finished(id, to, now));
            case DEAD, CANCELLED -> failed.addLast(new Finished(id, to, now));
            case QUEUED, CLAIMED -> {}
        }
    }

    long count(TaskStatus status) {
        return counts[status.ordinal()];
    }

    /** The ids of the finished tasks {@code retention} no longer keeps at {@code now}, taken off the counts. */
    List<String> purge(TaskRetention retention, Instant now) {
        List<String> purged = new ArrayList<>();
        purge(completed, retention.completed(), now, purged);
        purge(failed, retention.failed(), now, purged);
        return purged;
    }

    private void purge(ArrayDeque<Finished> queue, TaskRetention.Keep keep, Instant now, List<String> purged) {
        if (keep.all()) {
            return;
        }
        Instant oldest = keep.age() == null ? null : now.minus(keep.age());
        while (!queue.isEmpty()
                && (queue.size() > keep.count()
                        || (oldest != null && queue.peekFirst().at().isBefore(oldest)))) {
            Finished gone = queue.removeFirst();
            counts[gone.status().ordinal()]--;
            purged.add(gone.id());
        }
    }

    void clear() {
        java.util.Arrays.fill(counts, 0);
        completed.clear();
        failed.clear();
    }
}
