package dev.colony.state;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the coordination state.
 *
 * @param clock the time every expiry is judged by (heartbeats, leases, TTLs, backoff); inject a manual
 *     clock to make tests deterministic
 * @param heartbeatTimeout an agent whose last heartbeat is older than this is marked FAILED
 * @param maxValueBytes the largest shared-memory value, task payload or task result, in bytes
 * @param retryBackoff the wait before a failed task's second attempt; it doubles each attempt
 * @param maxRetryBackoff the longest wait between attempts
 * @param sweepInterval how often a background thread expires what is due (heartbeats, leases, TTLs,
 *     leaderships); {@link Duration#ZERO} for none: operations still see expiry, as each judges by the
 *     clock, and {@link CoordinationState#sweep()} announces it
 * @param taskRetention how long finished tasks are kept ({@link TaskRetention#KEEP_ALL} by default)
 */
public record StateOptions(
        InstantSource clock,
        Duration heartbeatTimeout,
        int maxValueBytes,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration sweepInterval,
        TaskRetention taskRetention) {

    public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;

    public StateOptions {
        Objects.requireNonNull(clock, "clock");
        positive(heartbeatTimeout, "heartbeatTimeout");
        if (maxValueBytes < 1) {
            throw new IllegalArgumentException("maxValueBytes must be positive, got " + maxValueBytes);
        }
        positive(retryBackoff, "retryBackoff");
        positive(maxRetryBackoff, "maxRetryBackoff");
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxRetryBackoff " + maxRetryBackoff + " is shorter than retryBackoff " + retryBackoff);
        }
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (sweepInterval.isNegative()) {
            throw new IllegalArgumentException("sweepInterval must not be negative, got " + sweepInterval);
        }
        Objects.requireNonNull(taskRetention, "taskRetention");
    }

    /** Settings that keep every finished task. */
    public StateOptions(
            InstantSource clock,
            Duration heartbeatTimeout,
            int maxValueBytes,
            Duration retryBackoff,
            Duration maxRetryBackoff,
            Duration sweepInterval) {
        this(
                clock,
                heartbeatTimeout,
                maxValueBytes,
                retryBackoff,
                maxRetryBackoff,
                sweepInterval,
                TaskRetention.KEEP_ALL);
    }

    /**
     * The system clock, 10 s heartbeat timeout, 1 MiB values, backoff from 100 ms doubling up to 30 s,
     * sweeping every 100 ms.
     */
    public static StateOptions defaults() {
        return new StateOptions(
                InstantSource.system(),
                Duration.ofSeconds(10),
                DEFAULT_MAX_VALUE_BYTES,
                Duration.ofMillis(100),
                Duration.ofSeconds(30),
                Duration.ofMillis(100));
    }

    public StateOptions withClock(InstantSource newClock) {
        return new StateOptions(
                newClock, heartbeatTimeout, maxValueBytes, retryBackoff, maxRetryBackoff, sweepInterval, taskRetention);
    }

    public StateOptions withHeartbeatTimeout(Duration timeout) {
        return new StateOptions(
                clock, timeout, maxValueBytes, retryBackoff, maxRetryBackoff, sweepInterval, taskRetention);
    }

    public StateOptions withMaxValueBytes(int bytes) {
        return new StateOptions(
                clock, heartbeatTimeout, bytes, retryBackoff, maxRetryBackoff, sweepInterval, taskRetention);
    }

    public StateOptions withRetryBackoff(Duration first, Duration max) {
        return new StateOptions(clock, heartbeatTimeout, maxValueBytes, first, max, sweepInterval, taskRetention);
    }

    public StateOptions withSweepInterval(Duration interval) {
        return new StateOptions(
                clock, heartbeatTimeout, maxValueBytes, retryBackoff, maxRetryBackoff, interval, taskRetention);
    }

    /** These options with finished tasks kept as {@code retention} says. */
    public StateOptions withTaskRetention(TaskRetention retention) {
        return new StateOptions(
                clock, heartbeatTimeout, maxValueBytes, retryBackoff, maxRetryBackoff, sweepInterval, retention);
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    /**
     * Checks that a value of {@code size} bytes fits {@link #maxValueBytes()}: what every backend calls
     * before it stores a shared-memory value, a task payload or a task result.
     *
     * @param what the value, for the message, such as {@code result of task "t-1"}
     * @param size its length in bytes
     * @throws IllegalArgumentException naming it, its size and the limit, if it is larger
     */
    public void checkSize(String what, int size) {
        if (size > maxValueBytes) {
            throw new IllegalArgumentException(what + " is " + size + " bytes, larger than the limit of "
                    + maxValueBytes + " bytes (maxValueBytes)");
        }
    }

    /**
     * Checks a {@link TaskQueue#submitAll} list before anything is queued: at most {@link
     * TaskQueue#MAX_BATCH} tasks, none null, no id twice, no payload larger than {@link #maxValueBytes()};
     * what every backend calls. Returns an unmodifiable copy.
     *
     * @throws IllegalArgumentException naming the first broken rule
     * @throws NullPointerException if {@code tasks} or one of its tasks is null
     */
    public List<TaskSpec> checkBatch(List<TaskSpec> tasks) {
        return TaskBatch.check(tasks, maxValueBytes);
    }

    /**
     * Checks a batch completion and claim before anything changes: at most {@link TaskQueue#MAX_BATCH}
     * completions, none null, no result larger than {@link #maxValueBytes()}; {@code nextLease} positive and
     * {@code max} in 1..{@link TaskQueue#MAX_BATCH}. What every backend calls. Returns an unmodifiable copy.
     *
     * @throws IllegalArgumentException naming the first broken rule
     */
    public List<Completion> checkCompletions(List<Completion> completions, Duration nextLease, int max) {
        List<Completion> done = TaskBatch.checkCompletions(completions);
        TaskBatch.checkClaim(nextLease, "nextLease", max);
        for (Completion completion : done) {
            checkSize("result of task \"" + completion.lease().taskId() + "\"", completion.result().length);
        }
        return done;
    }

    /**
     * Checks a batch claim: {@code lease} positive, {@code max} in 1..{@link TaskQueue#MAX_BATCH}.
     *
     * @throws IllegalArgumentException naming the first broken rule
     */
    public static void checkClaim(Duration lease, int max) {
        TaskBatch.checkClaim(lease, "lease", max);
    }

    /**
     * Checks a waiting claim's {@code wait}: not null, not negative.
     *
     * @return {@code wait}
     * @throws IllegalArgumentException if it is negative
     */
    public static Duration checkWait(Duration wait) {
        return TaskBatch.checkWait(wait);
    }

    /**
     * Checks a shared-memory value: not null, and no larger than {@link #maxValueBytes()}.
     *
     * @throws IllegalArgumentException naming the key, the size and the limit, if it is larger
     */
    public void checkValue(String namespace, String key, byte[] value) {
        checkSize(
                "value of key \"" + key + "\" in namespace \"" + namespace + "\"",
                Objects.requireNonNull(value, "value").length);
    }

    /**
     * Checks a shared-memory time to live: {@code null} (never expires) or positive.
     *
     * @throws IllegalArgumentException quoting it otherwise
     */
    public static void checkTtl(Duration ttl) {
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("ttl must be positive (or null for never), got " + ttl);
        }
    }
}
