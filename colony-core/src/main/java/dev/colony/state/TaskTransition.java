package dev.colony.state;

import java.util.EnumSet;
import java.util.Set;

/**
 * The transition table of a {@link Task}: each change the queue makes, and the statuses it may be made
 * from. A transition from any other status is a programming error of the queue (it checks leases and
 * statuses before it moves a task), so {@link Task} throws instead of answering an outcome.
 *
 * <pre>
 * submitted   -            → QUEUED
 * claimed     QUEUED       → CLAIMED           (attempts + 1, a new lease)
 * renewed     CLAIMED      → CLAIMED           (the lease ends later)
 * completed   CLAIMED      → COMPLETED         (with a result)
 * failed      CLAIMED      → QUEUED | DEAD     (QUEUED after a backoff if retryable and attempts remain)
 * released    CLAIMED      → QUEUED | DEAD     (lease expired or holder gone; QUEUED if attempts remain)
 * cancelled   QUEUED | CLAIMED → CANCELLED
 * </pre>
 */
enum TaskTransition {
    CLAIM(TaskStatus.QUEUED),
    RENEW(TaskStatus.CLAIMED),
    COMPLETE(TaskStatus.CLAIMED),
    FAIL(TaskStatus.CLAIMED),
    RELEASE(TaskStatus.CLAIMED),
    CANCEL(TaskStatus.QUEUED, TaskStatus.CLAIMED);

    private final Set<TaskStatus> from;

    TaskTransition(TaskStatus first, TaskStatus... rest) {
        this.from = EnumSet.of(first, rest);
    }

    /** Whether a task in {@code status} may take this transition. */
    boolean allowedFrom(TaskStatus status) {
        return from.contains(status);
    }

    /** The statuses this transition may be taken from. */
    Set<TaskStatus> from() {
        return EnumSet.copyOf(from);
    }
}
