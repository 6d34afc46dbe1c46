package dev.colony.cli.demo;

import dev.colony.Colony;
import dev.colony.metrics.Timer;
import dev.colony.state.SnapshotCodec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Snapshots of the colony's state taken every {@link #EVERY_MILLIS} ms while the run goes, each timed into
 * {@code colony.snapshot.duration}; {@link #stop} ends them, takes a last one and returns the totals.
 */
final class Snapshots {
    static final long EVERY_MILLIS = 200;

    /** How many snapshots were taken, their encoded bytes in all, and the last one's bytes. */
    record Totals(long count, long bytes, long lastBytes) {}

    private final Colony colony;
    private final Timer timer;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private Thread thread;

    private Snapshots(Colony colony) {
        this.colony = colony;
        this.timer = colony.metrics()
                .timer("colony.snapshot.duration", "Time to take a snapshot of the state and encode it.");
    }

    static Snapshots start(Colony colony, Ledger ledger) {
        Snapshots snapshots = new Snapshots(colony);
        snapshots.thread = Thread.ofVirtual().name("demo-snapshots").start(() -> {
            do {
                snapshots.take();
            } while (ledger.pause(EVERY_MILLIS));
        });
        return snapshots;
    }

    private long take() {
        byte[] encoded = timer.time(() -> SnapshotCodec.encode(colony.state().snapshot()));
        count.incrementAndGet();
        bytes.addAndGet(encoded.length);
        return encoded.length;
    }

    /** Waits for the snapshot thread (the run must have finished) and takes the last snapshot. */
    Totals stop() throws InterruptedException {
        thread.join();
        long last = take();
        return new Totals(count.get(), bytes.get(), last);
    }
}
