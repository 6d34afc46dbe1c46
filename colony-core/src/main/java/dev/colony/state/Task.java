package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * A task as the queue holds it at one revision: an immutable value whose transition methods
 * ({@link #claimed}, {@link #renewed}, {@link #completed}, {@link #failed}, {@link #released},
 * {@link #cancelled}) return the task after the change. Each checks that the change is legal from the
 * current status (the table is in ADR 0024) and throws {@link IllegalStateException} naming the task, its
 * status and the change otherwise: a backend checks leases and statuses first, so an illegal transition
 * is a bug in the backend, not an outcome.
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

    /** A task just submitted: QUEUED, no attempt yet. */
    public static Task submitted(TaskSpec spec, Instant at) {
        return new Task(spec, TaskStatus.QUEUED, 0, null, 0, null, null, null, null, at);
    }

    /** This QUEUED task claimed by {@code agent} under a new lease: CLAIMED, one attempt more. */
    public Task claimed(AgentId agent, long token, Instant expiresAt) {
        check(TaskTransition.CLAIM);
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(expiresAt, "expiresAt");
        return new Task(
                spec, TaskStatus.CLAIMED, attempts + 1, agent, token, expiresAt, null, null, lastError, submittedAt);
    }

    /** This CLAIMED task with its lease extended to {@code expiresAt}; nothing else changes. */
    public Task renewed(Instant expiresAt) {
        check(TaskTransition.RENEW);
        Objects.requireNonNull(expiresAt, "expiresAt");
        return new Task(
                spec, status, attempts, holder, leaseToken, expiresAt, notBefore, result, lastError, submittedAt);
    }

    /**
     * This CLAIMED task completed with {@code result}, held as given (the queue hands over its own copy):
     * COMPLETED, no lease.
     */
    public Task completed(byte[] result) {
        check(TaskTransition.COMPLETE);
        Objects.requireNonNull(result, "result");
        return new Task(spec, TaskStatus.COMPLETED, attempts, null, 0, null, null, result, lastError, submittedAt);
    }

    /**
     * This CLAIMED task failed by its holder: QUEUED again, not before {@code retryAt}, if
     * {@code retryable} and attempts remain; DEAD otherwise. Either way {@code reason} is its last error.
     */
    public Task failed(String reason, boolean retryable, Instant retryAt) {
        check(TaskTransition.FAIL);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(retryAt, "retryAt");
        if (retryable && attemptsRemain()) {
            return new Task(spec, TaskStatus.QUEUED, attempts, null, 0, null, retryAt, null, reason, submittedAt);
        }
        return dead(reason);
    }

    /**
     * This CLAIMED task's lease ended without an outcome (it expired, or its holder failed or left): QUEUED
     * again at once while attempts remain, DEAD otherwise (the reason then says it is out of attempts).
     */
    public Task released(String reason) {
        check(TaskTransition.RELEASE);
        Objects.requireNonNull(reason, "reason");
        if (attemptsRemain()) {
            return new Task(spec, TaskStatus.QUEUED, attempts, null, 0, null, null, null, reason, submittedAt);
        }
        return dead(reason + "; out of attempts (" + attempts + " of " + spec.maxAttempts() + ")");
    }

    /** This QUEUED or CLAIMED task cancelled: CANCELLED, no lease; its last error stays. */
    public Task cancelled() {
        check(TaskTransition.CANCEL);
        return new Task(spec, TaskStatus.CANCELLED, attempts, null, 0, null, null, null, lastError, submittedAt);
    }

    /** The lease of this CLAIMED task. */
    public Lease lease() {
        if (status != TaskStatus.CLAIMED) {
            throw new IllegalStateException("task \"" + id() + "\" has no lease: it is " + status);
        }
        return new Lease(id(), holder, leaseToken, leaseExpiresAt, attempts, this);
    }

    private boolean attemptsRemain() {
        return attempts < spec.maxAttempts();
    }

    private Task dead(String reason) {
        return new Task(spec, TaskStatus.DEAD, attempts, null, 0, null, null, null, reason, submittedAt);
    }

    private void check(TaskTransition transition) {
        if (!transition.allowedFrom(status)) {
            throw new IllegalStateException("task \"" + id() + "\" is " + status + ": cannot take transition "
                    + transition + " (allowed from " + transition.from() + ")");
        }
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
