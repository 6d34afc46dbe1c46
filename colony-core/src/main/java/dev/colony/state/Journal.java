package dev.colony.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The redo log of a durable coordination state: every change, as the image of the changed item after the
 * change, appended in revision order to segment files {@code journal-<first revision, 20 digits>.log} in
 * the state's directory (beside its snapshots). Record format: {@link JournalCodec}.
 *
 * <h2>Assumptions and guarantees</h2>
 *
 * <ul>
 *   <li>One writer: {@link #append} and {@link #roll} are called under the state lock, so the journal's
 *       order is the order of revisions. {@link #awaitDurable} may be called from any thread.
 *   <li>An append reaches the operating system before it returns; when it reaches the device is the
 *       {@link FsyncPolicy}'s business. {@link #awaitDurable} returns once it has.
 *   <li>{@link #open} reads every segment. A torn tail of the newest segment (a crash in the middle of an
 *       append: a bad record with no valid record anywhere after it) is copied to a side file
 *       {@code <segment>.torn-<offset>} and then cut away. Any other damage, in particular a bad record
 *       followed by valid ones, is a {@link CorruptJournalException} naming the segment and the offset,
 *       and nothing is cut. The rule and the formats: ADR 0020.
 *   <li>Segments of format version 1 (no header checksum) are read; appending starts a new version-2
 *       segment.
 *   <li>A failed write or force is sticky: every later append and wait throws it, and the state refuses
 *       writes, since memory may now be ahead of the log.
 * </ul>
 *
 * <p>One process at a time may open a directory.
 */
public final class Journal implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("journal-(\\d{20})\\.log");

    /**
     * One journaled change.
     *
     * @param subject the announcement subject of the change
     * @param change the change, with the image of the changed item
     */
    public record Entry(String subject, StateChange change) {
        /** Checks that the subject and the change are present. */
        public Entry {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(change, "change");
        }
    }

    private final Path directory;
    private final FsyncPolicy fsync;
    private final long windowNanos;
    private List<Entry> recovered; // dropped by resume: replay is over
    private final Object segmentLock = new Object(); // orders a force against a segment switch
    private final ReentrantLock waitLock = new ReentrantLock();
    private final Condition forced = waitLock.newCondition();
    private FileChannel channel; // guarded by segmentLock for switching; written by the single writer
    private long segmentFirst;
    private boolean newestLegacy; // the newest segment is of format version 1: append to a new one
    private volatile long appended; // appends so far; written by the single writer, read by the flusher
    // appends forced so far (or written, under OS); only grows: the flusher and a roll may race
    private final AtomicLong durable = new AtomicLong();
    private volatile UncheckedIOException failure;
    private volatile boolean closed;
    private Thread flusher;

    private Journal(Path directory, FsyncPolicy fsync, long windowNanos, List<Entry> recovered) {
        this.directory = directory;
        this.fsync = fsync;
        this.windowNanos = windowNanos;
        this.recovered = recovered;
    }

    /**
     * Opens the journal in {@code durability}'s directory (created if missing) and reads every record; a
     * torn tail of the newest segment is copied to {@code <segment>.torn-<offset>}, then cut. Logs one line
     * on {@code dev.colony.snapshot}. Appending starts after {@link #resume}.
     *
     * @throws CorruptJournalException naming the segment and the offset, if a segment is damaged other than
     *     by a torn tail (a bad record with a valid one after it, or not in the newest segment); nothing is
     *     cut then
     */
    public static Journal open(Durability durability) {
        Objects.requireNonNull(durability, "durability");
        Path directory = durability.directory();
        try {
            Files.createDirectories(directory);
            JournalRecovery.Recovered read = JournalRecovery.recover(directory);
            Journal journal = new Journal(
                    directory, durability.fsync(), durability.batchWindow().toNanos(), read.entries());
            journal.segmentFirst = read.newestFirst();
            journal.newestLegacy = read.newestVersion() == 1;
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + directory, e);
        }
    }

    /** The segment files by first revision. */
    static TreeMap<Long, Path> segments(Path directory) throws IOException {
        TreeMap<Long, Path> segments = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "journal-*.log")) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    segments.put(Long.parseLong(m.group(1)), file);
                }
            }
        }
        return segments;
    }

    /**
     * Reads every segment in {@code directory}, oldest first, and reports what it holds and where any damage
     * or torn tail starts. Changes nothing; safe on the directory of a state that is not open.
     *
     * @throws UncheckedIOException if a segment cannot be read
     */
    public static List<JournalSegment> inspect(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            return JournalRecovery.inspect(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + directory, e);
        }
    }

    /**
     * Cuts the first damaged segment in {@code directory} at its first bad record, after writing the cut
     * bytes to {@code <segment>.torn-<offset>}, and renames every later segment to
     * {@code <segment>.set-aside} (replay cannot skip the hole). Never on the directory of an open state.
     *
     * @param dropFollowing whether to go on when valid records follow the damage: they are acknowledged
     *     operations, and the repair drops them
     * @return what was cut and set aside, or empty if no segment is damaged
     * @throws IllegalStateException if valid records follow the damage and {@code dropFollowing} is false, or
     *     the segment is of a format version this build does not read; nothing is changed then
     * @throws UncheckedIOException if a file cannot be read or written
     */
    public static Optional<JournalRepair> repair(Path directory, boolean dropFollowing) {
        Objects.requireNonNull(directory, "directory");
        try {
            return JournalRecovery.repair(directory, dropFollowing);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair the journal in " + directory, e);
        }
    }

    /** Every record read by {@link #open}, in order; empty once {@link #resume} was called. */
    public List<Entry> recovered() {
        return recovered;
    }

    /**
     * Starts appending: to the newest segment, or to a new one named {@code nextRevision} if there is none.
     * Starts the flusher under {@link FsyncPolicy#BATCHED}.
     */
    public void resume(long nextRevision) {
        synchronized (segmentLock) {
            if (channel != null) {
                throw new IllegalStateException("the journal is appending already");
            }
            recovered = List.of();
            try {
                if (segmentFirst == 0) {
                    segmentFirst = nextRevision;
                } else if (newestLegacy) {
                    // never mix formats in a segment; its silent records may sit at nextRevision - 1 (ADR 0020)
                    segmentFirst = Math.max(nextRevision, segmentFirst + 1);
                }
                channel = openSegment(segmentFirst);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open journal segment " + name(segmentFirst), e);
            }
        }
        if (fsync == FsyncPolicy.BATCHED) {
            flusher =
                    Thread.ofPlatform().daemon().name("colony-journal-flusher").start(this::flushPeriodically);
        }
    }

    private FileChannel openSegment(long first) throws IOException {
        Path file = directory.resolve(name(first));
        boolean created = Files.notExists(file);
        FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (opened.size() == 0) {
            ByteBuffer header = ByteBuffer.wrap(JournalCodec.segmentHeader());
            while (header.hasRemaining()) {
                opened.write(header);
            }
        }
        opened.position(opened.size());
        if (created) {
            forceDirectory();
        }
        return opened;
    }

    private static String name(long first) {
        return String.format("journal-%020d.log", first);
    }

    private void forceDirectory() {
        JournalRecovery.forceDirectory(directory);
    }

    /**
     * Appends the records of one operation ({@code subjects[i]} with {@code changes[i]}) in one write;
     * returns its position for {@link #awaitDurable}. Under {@link FsyncPolicy#EVERY_OPERATION} they are
     * forced before it returns. Called by the single writer.
     *
     * @throws UncheckedIOException if the write or force fails (and every later one)
     */
    public long append(List<String> subjects, List<StateChange> changes) {
        checkHealthy();
        BodyWriter out = new BodyWriter(256);
        for (int i = 0; i < changes.size(); i++) {
            JournalCodec.append(out, subjects.get(i), changes.get(i));
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(out.array(), 0, out.size());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync == FsyncPolicy.EVERY_OPERATION) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw fail(new UncheckedIOException("cannot append to the journal in " + directory, e));
        }
        long position = appended + 1;
        appended = position; // volatile write: the flusher reads it before forcing, so it covers this write
        if (fsync != FsyncPolicy.BATCHED) {
            durable.set(position); // the writer is the only updater outside BATCHED
        }
        return position;
    }

    /**
     * Waits until the append at {@code position} is durable per the policy (returns at once except under
     * {@link FsyncPolicy#BATCHED}).
     *
     * @throws UncheckedIOException if forcing failed
     */
    public void awaitDurable(long position) {
        while (durable.get() < position) {
            checkHealthy();
            waitLock.lock();
            try {
                if (durable.get() < position && failure == null && !closed) {
                    forced.await(windowNanos * 4, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the journal", e);
            } finally {
                waitLock.unlock();
            }
            if (closed && durable.get() < position) {
                checkHealthy();
                throw new IllegalStateException("the journal closed before the change was forced");
            }
        }
    }

    private void flushPeriodically() {
        while (!closed) {
            LockSupport.parkNanos(windowNanos);
            try {
                flush();
            } catch (UncheckedIOException e) {
                signalWaiters();
                return;
            }
        }
    }

    /** Forces everything appended so far. */
    private void flush() {
        long target = appended;
        if (durable.get() >= target) {
            return;
        }
        synchronized (segmentLock) {
            try {
                if (channel.isOpen()) {
                    channel.force(false);
                }
            } catch (IOException e) {
                throw fail(new UncheckedIOException("cannot force the journal in " + directory, e));
            }
        }
        durable.accumulateAndGet(target, Math::max);
        signalWaiters();
    }

    private void signalWaiters() {
        waitLock.lock();
        try {
            forced.signalAll();
        } finally {
            waitLock.unlock();
        }
    }

    /**
     * Forces the current segment and starts a new one named {@code nextRevision} (for a checkpoint at
     * {@code nextRevision - 1}); keeps the current one if it has that name already. Called by the single
     * writer.
     */
    public void roll(long nextRevision) {
        checkHealthy();
        synchronized (segmentLock) {
            if (nextRevision == segmentFirst) {
                return;
            }
            try {
                channel.force(false);
                channel.close();
                channel = openSegment(nextRevision);
                segmentFirst = nextRevision;
            } catch (IOException e) {
                throw fail(new UncheckedIOException("cannot start journal segment " + name(nextRevision), e));
            }
        }
        durable.accumulateAndGet(appended, Math::max);
        signalWaiters();
    }

    /** Deletes every segment older than the current one (a snapshot covers them); returns how many. */
    public int deleteOldSegments() {
        long current;
        synchronized (segmentLock) {
            current = segmentFirst;
        }
        try {
            int deleted = 0;
            for (Path old : segments(directory).headMap(current).values()) {
                Files.deleteIfExists(old);
                deleted++;
            }
            if (deleted > 0) {
                forceDirectory();
            }
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete old journal segments in " + directory, e);
        }
    }

    /** The directory this journal keeps its segment files in. */
    public Path directory() {
        return directory;
    }

    private void checkHealthy() {
        UncheckedIOException failed = failure;
        if (failed != null) {
            throw new UncheckedIOException("the journal failed earlier: " + failed.getMessage(), failed.getCause());
        }
    }

    private UncheckedIOException fail(UncheckedIOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** Whether a write or force failed: the log may be behind memory. */
    public boolean failed() {
        return failure != null;
    }

    /** Forces what was appended, stops the flusher and closes the segment. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (flusher != null) {
            flusher.interrupt(); // parkNanos returns at once; the loop sees closed after the final flush below
        }
        synchronized (segmentLock) {
            try {
                if (channel != null && channel.isOpen()) {
                    if (failure == null) {
                        channel.force(false);
                    }
                    durable.accumulateAndGet(appended, Math::max);
                    channel.close();
                }
            } catch (IOException e) {
                fail(new UncheckedIOException("cannot force the journal in " + directory, e));
            } finally {
                closed = true;
            }
        }
        signalWaiters();
        if (flusher != null) {
            try {
                flusher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
