package dev.colony.state;

import dev.colony.bus.Event;
import java.util.Objects;
import java.util.Set;

/**
 * A task to submit.
 *
 * @param id unique among the queue's tasks, a token
 * @param type what kind of work, a token
 * @param payload the work's input, copied; at most {@link StateOptions#maxValueBytes()}
 * @param priority 0 to 9, higher claimed first (FIFO within a priority)
 * @param requiredCapabilities an agent must have all of them to claim the task
 * @param maxAttempts how many claims the task gets before it is dead, at least 1
 */
public record TaskSpec(
        String id, String type, byte[] payload, int priority, Set<String> requiredCapabilities, int maxAttempts) {

    public TaskSpec {
        Names.token(id, "task id");
        Names.token(type, "task type");
        payload = Objects.requireNonNull(payload, "payload").clone();
        if (priority < Event.MIN_PRIORITY || priority > Event.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be between 0 and 9, got " + priority);
        }
        requiredCapabilities = Set.copyOf(requiredCapabilities);
        requiredCapabilities.forEach(c -> Names.token(c, "capability"));
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** A task of normal priority, no required capabilities, 3 attempts. */
    public static TaskSpec of(String id, String type, byte[] payload) {
        return new TaskSpec(id, type, payload, Event.NORMAL_PRIORITY, Set.of(), 3);
    }

    public TaskSpec withPriority(int newPriority) {
        return new TaskSpec(id, type, payload, newPriority, requiredCapabilities, maxAttempts);
    }

    public TaskSpec withRequiredCapabilities(Set<String> capabilities) {
        return new TaskSpec(id, type, payload, priority, capabilities, maxAttempts);
    }

    public TaskSpec withMaxAttempts(int attempts) {
        return new TaskSpec(id, type, payload, priority, requiredCapabilities, attempts);
    }

    /** The payload's length in bytes, without copying it. */
    public int payloadSize() {
        return payload.length;
    }

    /** The payload, copied. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
