package dev.colony.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Periodic snapshots of a {@link CoordinationState} into a {@link SnapshotStore}: every interval, on its
 * own virtual thread, it takes {@link CoordinationState#snapshot()}, saves it (unlabelled) and prunes the
 * store with its retention. A tick whose state revision equals the last saved one saves nothing (the
 * content would be the same). On a {@link DurableState} journaling into the same directory, a tick is a
 * {@link DurableState#checkpoint()} instead (binary, uncompressed), which also deletes the journal segments
 * the snapshot covers, so the journal does not grow without bound. {@link #checkpoint(String)} saves a
 * labelled snapshot at once; retention never prunes those.
 *
 * <p>A failed tick (a full disk, say) does not stop the schedule: it is counted in {@link #failures()} and
 * reported to the error handler, assumed never to throw. {@link #close()} stops the thread after the tick
 * in progress, if any, and waits for it; it is idempotent. Thread-safe.
 */
public final class SnapshotSchedule implements AutoCloseable {
    private final CoordinationState state;
    private final SnapshotStore store;
    private final Settings settings;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong saved = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private long lastSavedRevision = -1; // only the schedule thread reads and writes it

    private SnapshotSchedule(CoordinationState state, SnapshotStore store, Settings settings) {
        this.state = state;
        this.store = store;
        this.settings = settings;
        this.thread = Thread.ofVirtual().name("colony-snapshot-schedule").start(this::loop);
    }

    /** A schedule of {@code state} into {@code store}; configure it, then {@link Builder#start()}. */
    public static Builder builder(CoordinationState state, SnapshotStore store) {
        return new Builder(Objects.requireNonNull(state, "state"), Objects.requireNonNull(store, "store"));
    }

    /**
     * Takes a snapshot now and saves it under {@code label}; returns the file.
     *
     * @throws IllegalArgumentException if the label is not 1 to 64 characters from {@code [A-Za-z0-9_-]}
     * @throws IllegalStateException if the schedule is closed
     */
    public Path checkpoint(String label) {
        Objects.requireNonNull(label, "label");
        SnapshotStore.checkLabel(label);
        if (closed.get()) {
            throw new IllegalStateException("snapshot schedule is closed");
        }
        return store.save(state.snapshot(), settings.format, settings.compress, label);
    }

    /** Periodic snapshots saved so far. */
    public long saved() {
        return saved.get();
    }

    /** Ticks that failed so far (each was reported to the error handler). */
    public long failures() {
        return failures.get();
    }

    private void loop() {
        try {
            while (!stop.await(settings.interval.toNanos(), TimeUnit.NANOSECONDS)) {
                tick();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean journalsInto(DurableState durable) {
        try {
            return Files.isSameFile(durable.durability().directory(), store.directory());
        } catch (IOException e) {
            return false;
        }
    }

    private void tick() {
        try {
            if (state instanceof DurableState durable && journalsInto(durable)) {
                long revision = state.revision();
                if (revision != lastSavedRevision) {
                    durable.checkpoint(); // also deletes the journal segments the snapshot covers
                    lastSavedRevision = revision;
                    saved.incrementAndGet();
                }
            } else {
                Snapshot snapshot = state.snapshot();
                if (snapshot.revision() != lastSavedRevision) {
                    store.save(snapshot, settings.format, settings.compress, null);
                    lastSavedRevision = snapshot.revision();
                    saved.incrementAndGet();
                }
            }
            store.prune(settings.keepNewest, settings.maxAge, settings.clock.instant());
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            settings.onError.accept(e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop.countDown();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish waiting: the caller expects no tick after close
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private record Settings(
            Duration interval,
            SnapshotFormat format,
            boolean compress,
            int keepNewest,
            Duration maxAge,
            InstantSource clock,
            Consumer<? super RuntimeException> onError) {}

    /**
     * The settings of a schedule, each validated when set. Defaults: every minute, binary, uncompressed,
     * keep the newest 10 and anything younger than a day, the system clock, errors printed to stderr.
     */
    public static final class Builder {
        private final CoordinationState state;
        private final SnapshotStore store;
        private Duration interval = Duration.ofMinutes(1);
        private SnapshotFormat format = SnapshotFormat.BINARY;
        private boolean compress;
        private int keepNewest = 10;
        private Duration maxAge = Duration.ofDays(1);
        private InstantSource clock = InstantSource.system();
        private Consumer<? super RuntimeException> onError = e -> e.printStackTrace(System.err);

        private Builder(CoordinationState state, SnapshotStore store) {
            this.state = state;
            this.store = store;
        }

        /** How often to snapshot; positive. */
        public Builder interval(Duration every) {
            Objects.requireNonNull(every, "interval");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("interval must be positive, got " + every);
            }
            this.interval = every;
            return this;
        }

        public Builder format(SnapshotFormat snapshotFormat, boolean lz4) {
            this.format = Objects.requireNonNull(snapshotFormat, "format");
            this.compress = lz4;
            return this;
        }

        /** The retention applied after every tick: {@link SnapshotStore#prune(int, Duration, java.time.Instant)}. */
        public Builder retain(int newest, Duration age) {
            if (newest < 0) {
                throw new IllegalArgumentException("keepNewest must not be negative, got " + newest);
            }
            Objects.requireNonNull(age, "maxAge");
            if (age.isNegative()) {
                throw new IllegalArgumentException("maxAge must not be negative, got " + age);
            }
            this.keepNewest = newest;
            this.maxAge = age;
            return this;
        }

        /** The clock that retention judges file ages by: the file system's, so the system clock by default. */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /** Receives each failed tick's exception; assumed never to throw. */
        public Builder onError(Consumer<? super RuntimeException> handler) {
            this.onError = Objects.requireNonNull(handler, "onError");
            return this;
        }

        /** Starts the schedule: the first snapshot is taken one interval from now. */
        public SnapshotSchedule start() {
            return new SnapshotSchedule(
                    state, store, new Settings(interval, format, compress, keepNewest, maxAge, clock, onError));
        }
    }
}
