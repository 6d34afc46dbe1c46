package dev.colony.state;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The checks of the task queue's batch calls ({@code submitAll}, batch claims and completions), made first. */
final class TaskBatch {
    private TaskBatch() {}

    /**
     * An unmodifiable copy of {@code tasks} once checked: not null, no null task, at most {@link
     * TaskQueue#MAX_BATCH} tasks, no id twice, no payload over {@code maxValueBytes}.
     *
     * @throws IllegalArgumentException naming the first broken rule
     * @throws NullPointerException if {@code tasks} or one of its tasks is null
     */
    static List<TaskSpec> check(List<TaskSpec> tasks, int maxValueBytes) {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.size() > TaskQueue.MAX_BATCH) {
            throw new IllegalArgumentException("tasks has " + tasks.size() + " tasks, more than the "
                    + TaskQueue.MAX_BATCH + " one submitAll takes: split the list");
        }
        Set<String> ids = new HashSet<>(tasks.size() * 2);
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec task = Objects.requireNonNull(tasks.get(i), "tasks[" + i + "]");
            if (!ids.add(task.id())) {
                throw new IllegalArgumentException(
                        "tasks has the id \"" + task.id() + "\" twice (again at index " + i + ")");
            }
            if (task.payload().length > maxValueBytes) {
                throw new IllegalArgumentException("payload of task \"" + task.id() + "\" is " + task.payload().length
                        + " bytes, larger than the limit of " + maxValueBytes + " bytes (maxValueBytes)");
            }
        }
        return List.copyOf(tasks);
    }

    /**
     * Checks a batch claim's lease and {@code max}.
     *
     * @throws IllegalArgumentException if the lease is not positive or {@code max} not in 1..{@link
     *     TaskQueue#MAX_BATCH}
     */
    static void checkClaim(Duration lease, String name, int max) {
        Objects.requireNonNull(lease, name);
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + lease);
        }
        if (max < 1 || max > TaskQueue.MAX_BATCH) {
            throw new IllegalArgumentException("max must be 1 to " + TaskQueue.MAX_BATCH + ", got " + max);
        }
    }

    /** {@code wait} once checked: not null, not negative (zero: claim once, do not wait). */
    static Duration checkWait(Duration wait) {
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, got " + wait);
        }
        return wait;
    }

    /**
     * An unmodifiable copy of {@code completions} once checked: not null, no null item, at most {@link
     * TaskQueue#MAX_BATCH}.
     */
    static List<Completion> checkCompletions(List<Completion> completions) {
        Objects.requireNonNull(completions, "completions");
        if (completions.size() > TaskQueue.MAX_BATCH) {
            throw new IllegalArgumentException("completions has " + completions.size() + " items, more than the "
                    + TaskQueue.MAX_BATCH + " one call takes: split the list");
        }
        for (int i = 0; i < completions.size(); i++) {
            Objects.requireNonNull(completions.get(i), "completions[" + i + "]");
        }
        return List.copyOf(completions);
    }
}
