package dev.colony.bus;

import java.util.List;
import java.util.Objects;

/**
 * An event: a payload published on a subject with a priority.
 *
 * <p>Priorities run from {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}. In ASYNC mailboxes a higher
 * priority is delivered first; events of priority {@value #CRITICAL_PRIORITY} or more are critical and
 * are never dropped by a DROP overflow policy. The payload is handed to handlers by reference: publish
 * immutable payloads (records, immutable collections) when several subscribers may see them.
 *
 * @param subject where the event was published
 * @param payload the content, never null
 * @param priority from 0 to 9
 */
public record Event(Subject subject, Object payload, int priority) {
    public static final int MIN_PRIORITY = 0;
    public static final int NORMAL_PRIORITY = 4;
    public static final int CRITICAL_PRIORITY = 8;
    public static final int MAX_PRIORITY = 9;

    public Event {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payload, "payload");
        checkPriority(priority);
    }

    /** An event of {@link #NORMAL_PRIORITY}. */
    public Event(Subject subject, Object payload) {
        this(subject, payload, NORMAL_PRIORITY);
    }

    /** True when the priority is {@link #CRITICAL_PRIORITY} or more. */
    public boolean isCritical() {
        return priority >= CRITICAL_PRIORITY;
    }

    /**
     * Checks a batch for {@link EventBus#publishAll}: the list and each of its events are non-null.
     *
     * @return {@code events}
     * @throws NullPointerException naming the index of the first null event
     */
    public static List<Event> checkAll(List<Event> events) {
        Objects.requireNonNull(events, "events");
        for (int i = 0; i < events.size(); i++) {
            Objects.requireNonNull(events.get(i), "events[" + i + "]");
        }
        return events;
    }

    static void checkPriority(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException(
                    "priority must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY + ", got " + priority);
        }
    }
}
