package dev.colony.alert;

/**
 * Where an {@link AlertRule} stands. A rule goes OK → PENDING (its condition holds, not yet for its
 * duration) → FIRING (it held for the duration) → RESOLVED (it cleared past the clear threshold) → OK.
 * Notifications ({@link Alert}) are sent for FIRING and RESOLVED only.
 */
public enum AlertState {
    /** The condition does not hold. */
    OK,
    /** The condition holds, for less than the rule's duration so far. */
    PENDING,
    /** The condition has held for the rule's duration and has not cleared. */
    FIRING,
    /** The condition cleared after firing; the rule is OK again. Only seen in notifications. */
    RESOLVED
}
