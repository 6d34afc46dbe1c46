package dev.colony.state;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The checks of a {@link TaskQueue#submitAll} list, made before anything is queued. */
final class TaskBatch {
    private TaskBatch() {}

    /**
     * An unmodifiable copy of {@code tasks} once checked: not null, no null task, at most {@link
     * TaskQueue#MAX_SUBMIT_BATCH} tasks, no id twice, no payload over {@code maxValueBytes}.
     *
     * @throws IllegalArgumentException naming the first broken rule
     * @throws NullPointerException if {@code tasks} or one of its tasks is null
     */
    static List<TaskSpec> check(List<TaskSpec> tasks, int maxValueBytes) {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.size() > TaskQueue.MAX_SUBMIT_BATCH) {
            throw new IllegalArgumentException("tasks has " + tasks.size() + " tasks, more than the "
                    + TaskQueue.MAX_SUBMIT_BATCH + " one submitAll takes: split the list");
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
}
