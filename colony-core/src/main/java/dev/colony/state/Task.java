package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * A task as the queue holds it at one revision.
 *
 * @param spec what was submitted
 * @param status where it is
 * @param attempts claims so far
 * @param holder the agent holding the lease, or null unless CLAIMED
 * @param leaseToken the current lease's token, or 0 unless CLAIMED
 * @param leaseExpiresAt when the current lease ends, or null unless CLAIMED
 * @param notBefore a QUEUED task is not claimed before this (retry backoff), or null
 * @param result the result of a COMPLETED task, or null
 * @param lastError why the last attempt failed or expired, or null
 * @param submittedAt when it was submitted
 */
public record Task(
        TaskSpec spec,
        TaskStatus status,
        int attempts,
        AgentId holder,
        long leaseToken,
        Instant leaseExpiresAt,
        Instant notBefore,
        byte[] result,
        String lastError,
        Instant submittedAt) {

    public Task {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }

    public String id() {
        return spec.id();
    }

    /** The result, copied, or null. */
    @Override
    public byte[] result() {
        return result == null ? null : result.clone();
    }
}
