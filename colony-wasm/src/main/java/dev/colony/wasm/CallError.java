package dev.colony.wasm;

/** Why one plugin call failed; counted per plugin version in {@link PluginStats#errors()}. */
public enum CallError {
    /** The module trapped: unreachable, out-of-bounds access, division by zero, stack exhausted. */
    TRAP,
    /** The call ran past its deadline and the watchdog interrupted it. */
    TIMEOUT,
    /** The input did not fit the plugin's input area, or its output was larger than allowed. */
    TOO_LARGE,
    /** The call returned a value ABI v0 does not allow (an error code, a pointer outside memory). */
    BAD_RESULT,
    /** The plugin is quarantined after repeated failures: no call was made. */
    QUARANTINED,
    /** The calling thread was interrupted by someone other than the watchdog (a closing subscription). */
    INTERRUPTED
}
