package dev.colony.state;

/**
 * When a {@link Journal} forces its appends to the storage device, which decides what a crash of the
 * machine (not only of the process) can lose. A process crash loses nothing acknowledged under any policy:
 * every append reaches the operating system before its operation returns.
 */
public enum FsyncPolicy {
    /**
     * Each operation's changes are forced ({@code fdatasync}) before the operation returns, under the state
     * lock: nothing acknowledged is lost, at the price of one device flush per write.
     */
    EVERY_OPERATION,
    /**
     * Group commit: a flusher forces the journal once per batch window, and each operation waits (after
     * releasing the state lock) until its changes are forced. Nothing acknowledged is lost; writers share
     * device flushes, so throughput holds up under concurrency while each write waits about a window.
     */
    BATCHED,
    /**
     * No forcing: the operating system writes the journal back when it chooses. A machine crash can lose
     * the last seconds of acknowledged operations (never reorder them).
     */
    OS
}
