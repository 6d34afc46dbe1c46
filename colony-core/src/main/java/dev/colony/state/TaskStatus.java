package dev.colony.state;

/** Where a task is. COMPLETED, DEAD and CANCELLED are final. */
public enum TaskStatus {
    /** Waiting to be claimed (possibly not before a retry backoff ends). */
    QUEUED,
    /** Held by an agent under a lease. */
    CLAIMED,
    /** Completed by its lease holder, with a result. */
    COMPLETED,
    /** Out of attempts, or failed as not retryable; carries the last error. */
    DEAD,
    /** Cancelled before it completed. */
    CANCELLED
}
