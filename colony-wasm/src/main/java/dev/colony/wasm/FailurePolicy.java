package dev.colony.wasm;

/**
 * What a binding does when a plugin call fails (trap, deadline, bad result) or the plugin is quarantined.
 *
 * <p>Every failure counts toward the plugin's quarantine threshold ({@link PluginLimits#quarantineAfter()})
 * whatever the policy; a success resets the count.
 */
public enum FailurePolicy {
    /** Treat the failure as a rejection: the event is not handled, the message is dead-lettered. */
    FAIL_CLOSED,
    /** Treat the failure as an acceptance: the event is handled, the message passes unchanged. */
    FAIL_OPEN,
    /**
     * Retry once on a fresh instance (the failed one is always discarded); if the retry fails too, fail
     * closed. A quarantined plugin is not retried.
     */
    RELOAD
}
