package dev.colony.state;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a task queue keeps finished tasks, like a job queue's {@code removeOnComplete} and
 * {@code removeOnFail}: COMPLETED tasks under {@link #completed()}, DEAD and CANCELLED ones under
 * {@link #failed()}. A purged task is gone: {@code get} finds nothing, snapshots leave it out, and its id may
 * be submitted again. Purges are silent (no revision, no announcement), because nothing about a finished task
 * changes; they happen when a task finishes (by count) and at every sweep (by age). Default: keep everything.
 *
 * @param completed what to keep of COMPLETED tasks
 * @param failed what to keep of DEAD and CANCELLED tasks
 */
public record TaskRetention(Keep completed, Keep failed) {

    /** Keeps every finished task forever (the default). */
    public static final TaskRetention KEEP_ALL = new TaskRetention(Keep.ALL, Keep.ALL);

    public TaskRetention {
        Objects.requireNonNull(completed, "completed");
        Objects.requireNonNull(failed, "failed");
    }

    /** The same rule for completed and for failed tasks. */
    public static TaskRetention of(Keep both) {
        return new TaskRetention(both, both);
    }

    /**
     * What to keep of one kind of finished task: at most {@code count} of them (the most recently finished),
     * none finished longer than {@code age} ago.
     *
     * @param count the most kept, 0 or more; {@link Long#MAX_VALUE} for no limit
     * @param age how long one is kept after it finished, positive; null for no limit
     */
    public record Keep(long count, Duration age) {
        /** No limit of count or age. */
        public static final Keep ALL = new Keep(Long.MAX_VALUE, null);

        public Keep {
            if (count < 0) {
                throw new IllegalArgumentException("count must be 0 or more, got " + count);
            }
            if (age != null && (age.isNegative() || age.isZero())) {
                throw new IllegalArgumentException("age must be positive (or null for no limit), got " + age);
            }
        }

        /** The {@code count} most recently finished, whatever their age. */
        public static Keep last(long count) {
            return new Keep(count, null);
        }

        /** Those finished within {@code age}, however many. */
        public static Keep within(Duration age) {
            return new Keep(Long.MAX_VALUE, Objects.requireNonNull(age, "age"));
        }

        /** Whether this keeps everything. */
        public boolean all() {
            return count == Long.MAX_VALUE && age == null;
        }
    }
}
