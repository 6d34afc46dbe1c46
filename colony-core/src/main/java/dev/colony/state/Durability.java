package dev.colony.state;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a durable coordination state keeps its journal and snapshots.
 *
 * @param directory holds the journal segments and the snapshots (a {@link SnapshotStore}); one process
 *     at a time
 * @param fsync when appends are forced to the device
 * @param batchWindow how often the flusher forces the journal under {@link FsyncPolicy#BATCHED}
 *     (ignored otherwise); 100 µs to 1 s
 */
public record Durability(Path directory, FsyncPolicy fsync, Duration batchWindow) {
    /** The default batch window of {@link FsyncPolicy#BATCHED}. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(2);

    private static final Duration MIN_WINDOW = Duration.ofNanos(100_000);
    private static final Duration MAX_WINDOW = Duration.ofSeconds(1);

    public Durability {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(batchWindow, "batchWindow");
        if (batchWindow.compareTo(MIN_WINDOW) < 0 || batchWindow.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("batchWindow must be from 100µs to 1s, got " + batchWindow);
        }
    }

    /** Durability in {@code directory}, forcing every operation. */
    public static Durability in(Path directory) {
        return new Durability(directory, FsyncPolicy.EVERY_OPERATION, DEFAULT_BATCH_WINDOW);
    }

    public Durability withFsync(FsyncPolicy policy) {
        return new Durability(directory, policy, batchWindow);
    }

    public Durability withBatchWindow(Duration window) {
        return new Durability(directory, fsync, window);
    }
}
