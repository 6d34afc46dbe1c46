package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * The right of one agent to work on one task until {@link #expiresAt()}. Renew, complete and fail need
 * the current lease: once it expired and the task was claimed again, the old holder's token is stale and
 * refused, so no task is completed twice.
 *
 * @param taskId the task
 * @param holder the agent holding it
 * @param token unique to this claim; grows with every claim of any task
 * @param expiresAt when the lease ends unless renewed
 * @param attempt which attempt this claim is, from 1
 * @param task the task as it was claimed
 */
public record Lease(String taskId, AgentId holder, long token, Instant expiresAt, int attempt, Task task) {
    public Lease {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(task, "task");
    }
}
