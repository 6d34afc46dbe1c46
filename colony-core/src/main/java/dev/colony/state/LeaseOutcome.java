package dev.colony.state;

/** What a lease operation (renew, complete, fail) did. */
public enum LeaseOutcome {
    /** Done. */
    OK,
    /** The lease is not the task's current one: it expired (and the task may have been claimed again). */
    STALE_LEASE,
    /** The task does not exist, or is no longer CLAIMED (cancelled, say). */
    NOT_CLAIMED,
    /** The operation carried a {@link Fence} whose term is no longer the group's current one. */
    STALE_TERM
}
