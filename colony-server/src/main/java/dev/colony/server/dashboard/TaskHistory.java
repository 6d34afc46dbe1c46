package dev.colony.server.dashboard;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subscription;
import dev.colony.state.StateChange;
import dev.colony.state.Task;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each task's lease history (claimed, renewed, completed, failed, expired, dead, ...: the task announcements
 * this server sees on the bus, {@code colony.task.<id>.<change>}) and the fenced writes the API refused on it as
 * {@code STALE_LEASE} (from the API's answers, as {@link Timeline} notes refused stale terms).
 *
 * <p>Bounded twice: the newest {@value #PER_TASK} entries per task, and the newest {@value #MAX_TASKS} tasks
 * that had an entry (a task past that is forgotten whole, oldest first). Only what happened since the server
 * started. Thread-safe.
 */
final class TaskHistory implements AutoCloseable {
    static final int PER_TASK = 32;
    static final int MAX_TASKS = 10_000;

    /** One entry: a change of the task, or a refused write ({@code change} is {@code refused}). */
    record Step(Instant at, String change, String holder, long leaseToken, String detail) {}

    private final Map<String, ArrayDeque<Step>> byTask = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Step>> eldest) {
            return size() > MAX_TASKS;
        }
    };
    private final Subscription subscription;

    TaskHistory(EventBus bus) {
        this.subscription = bus.subscribe("colony.task.*.*", this::onTask);
    }

    private void onTask(Event event) {
        if (event.payload() instanceof StateChange sc && sc.value() instanceof Task t) {
            add(
                    t.id(),
                    new Step(
                            Instant.now(),
                            sc.change(),
                            t.holder() == null ? null : t.holder().value(),
                            t.leaseToken(),
                            t.lastError()));
        }
    }

    /** Notes a write on the task (stored id) that the API refused as {@code STALE_LEASE}. */
    void refused(String storedTaskId, String request, String detail) {
        add(storedTaskId, new Step(Instant.now(), "refused", null, 0, request + ": " + detail));
    }

    private synchronized void add(String taskId, Step entry) {
        ArrayDeque<Step> entries = byTask.computeIfAbsent(taskId, id -> new ArrayDeque<>());
        entries.addLast(entry);
        if (entries.size() > PER_TASK) {
            entries.removeFirst();
        }
    }

    /** The task's entries (stored id), oldest first. */
    synchronized List<Step> of(String storedTaskId) {
        ArrayDeque<Step> entries = byTask.get(storedTaskId);
        return entries == null ? List.of() : List.copyOf(entries);
    }

    @Override
    public void close() {
        subscription.close();
    }
}
