package dev.colony.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory of snapshot files, written atomically (a temporary file, fsync, rename, fsync of the
 * directory), so a crash leaves either the old set of files or the new one, never a half-written
 * snapshot under a snapshot's name.
 *
 * <p>File names: {@code snapshot-<revision, 20 digits>[-<label>].snap}, so names sort by revision. A
 * label is 1 to 64 characters from {@code [A-Za-z0-9_-]} (a checkpoint's name).
 *
 * <h2>Retention</h2>
 *
 * {@link #prune} deletes periodic (unlabelled) snapshots beyond the newest N that are also older than a
 * maximum age, judged by the file's modification time (when it was written, by the file system's clock).
 * Labelled checkpoints are never pruned: they stay until {@link #delete} removes them explicitly. The
 * newest snapshot that loads is never pruned, whatever the settings, so a store that held a good snapshot
 * keeps one.
 *
 * <p>Thread-safe for one process; two processes must not write the same directory.
 */
public final class SnapshotStore {
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})(?:-([A-Za-z0-9_-]{1,64}))?\\.snap");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final System.Logger LOG = System.getLogger("dev.colony.snapshot");

    private final Path directory;

    private SnapshotStore(Path directory) {
        this.directory = directory;
    }

    /** The store in {@code directory}, created if missing. */
    public static SnapshotStore open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create snapshot directory " + directory, e);
        }
        return new SnapshotStore(directory);
    }

    /** One stored snapshot file. */
    public record Entry(Path file, long revision, String label, long bytes, Instant modified) {}

    /** The directory this store keeps its snapshot files in. */
    public Path directory() {
        return directory;
    }

    /**
     * Encodes and writes {@code snapshot} atomically; returns the file.
     *
     * @param label a checkpoint label, or null
     */
    public synchronized Path save(Snapshot snapshot, SnapshotFormat format, boolean compress, String label) {
        Objects.requireNonNull(snapshot, "snapshot");
        checkLabel(label);
        byte[] bytes = SnapshotCodec.encode(snapshot, format, compress);
        String name = String.format("snapshot-%020d%s.snap", snapshot.revision(), label == null ? "" : "-" + label);
        Path target = directory.resolve(name);
        Path temporary = directory.resolve(name + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(
                    temporary,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + target, e);
        }
    }

    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; the rename is still atomic there
        }
    }

    /** Every snapshot file, oldest revision first (ties: unlabelled first, then by label). */
    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "snapshot-*.snap")) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    try {
                        entries.add(entry(file, m));
                    } catch (NoSuchFileException e) {
                        // deleted since the directory was read
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshot directory " + directory, e);
        }
        entries.sort(Comparator.comparingLong(Entry::revision).thenComparing(e -> e.label() == null ? "" : e.label()));
        return entries;
    }

    /**
     * The file named {@code name} in this store, or empty when there is none; a name that is not a snapshot
     * file name (see the class comment: no path, no other file) is empty too, so a name from outside the
     * process can never reach another file.
     */
    public Optional<Entry> find(String name) {
        Objects.requireNonNull(name, "name");
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Path file = directory.resolve(name);
        try {
            return Optional.of(entry(file, m));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + file, e);
        }
    }

    /** The entry of {@code file}, whose name {@code name} matched {@link #NAME}; its size and time read now. */
    private static Entry entry(Path file, Matcher name) throws IOException {
        return new Entry(
                file,
                Long.parseLong(name.group(1)),
                name.group(2),
                Files.size(file),
                Files.getLastModifiedTime(file).toInstant());
    }

    /**
     * Loads one snapshot file.
     *
     * @throws CorruptSnapshotException if the file is not a good snapshot (see {@link SnapshotCodec#decode})
     * @throws UncheckedIOException if it cannot be read
     */
    public Snapshot load(Path file) {
        try {
            return SnapshotCodec.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + file, e);
        }
    }

    /**
     * The newest snapshot that decodes and passes {@link dev.colony.state.SnapshotCheck}, or empty; newer
     * files that do not are skipped, each with a WARNING on the {@code dev.colony.snapshot} logger. Same as
     * {@link #findLatest()}{@code .snapshot()}.
     */
    public Optional<Snapshot> latest() {
        return findLatest().snapshot();
    }

    /**
     * Finds the newest snapshot that decodes and passes {@link dev.colony.state.SnapshotCheck}, falling back
     * past newer files that do not (damaged, inconsistent, or deleted since they were listed). Each skipped
     * file is logged as one WARNING line on the {@code dev.colony.snapshot} logger and listed in the result.
     */
    public Latest findLatest() {
        Latest latest = scan(list());
        for (Skipped skipped : latest.skipped()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "snapshot store {0}: skipped {1} (revision {2}): {3}; falling back to an older snapshot",
                    directory,
                    skipped.entry().file().getFileName(),
                    skipped.entry().revision(),
                    skipped.reason());
        }
        return latest;
    }

    /** A snapshot file {@link #findLatest} passed over, and why (a one-line reason). */
    public record Skipped(Entry entry, String reason) {
        /** Checks that the entry and the reason are present. */
        public Skipped {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * What {@link #findLatest} found.
     *
     * @param entry the file of the newest good snapshot, or null when none is good
     * @param loaded that snapshot, or null when none is good
     * @param skipped the newer files passed over, newest first
     */
    public record Latest(Entry entry, Snapshot loaded, List<Skipped> skipped) {
        /** Checks that the entry and the snapshot are both present or both absent; copies {@code skipped}. */
        public Latest {
            if ((entry == null) != (loaded == null)) {
                throw new IllegalArgumentException("entry and loaded are both present or both absent");
            }
            skipped = List.copyOf(skipped);
        }

        /** The newest good snapshot, or empty. */
        public Optional<Snapshot> snapshot() {
            return Optional.ofNullable(loaded);
        }
    }

    private Latest scan(List<Entry> entries) {
        List<Skipped> skipped = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            try {
                return new Latest(entry, load(entry.file()), skipped);
            } catch (CorruptSnapshotException e) {
                skipped.add(new Skipped(entry, e.getMessage()));
            } catch (UncheckedIOException e) {
                // pruned or deleted since it was listed, or unreadable: fall back too
                skipped.add(new Skipped(entry, "cannot read: " + e.getCause().getMessage()));
            }
        }
        return new Latest(null, null, skipped);
    }

    /**
     * Deletes the unlabelled snapshots that are both beyond the {@code keepNewest} newest unlabelled ones
     * and older than {@code maxAge} at {@code now}; returns what was deleted, oldest first. Labelled
     * checkpoints and the newest snapshot that loads are kept (see the class comment).
     *
     * @throws IllegalArgumentException if {@code keepNewest} or {@code maxAge} is negative
     */
    public synchronized List<Entry> prune(int keepNewest, Duration maxAge, Instant now) {
        if (keepNewest < 0) {
            throw new IllegalArgumentException("keepNewest must not be negative, got " + keepNewest);
        }
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative, got " + maxAge);
        }
        Objects.requireNonNull(now, "now");
        List<Entry> entries = list();
        Latest latest = scan(entries);
        Path newestGood = latest.entry() == null ? null : latest.entry().file();
        Instant cutoff = now.minus(maxAge);
        List<Entry> deleted = new ArrayList<>();
        int unlabelledSeen = 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            if (entry.label() != null || unlabelledSeen++ < keepNewest) {
                continue;
            }
            if (entry.modified().isBefore(cutoff) && !entry.file().equals(newestGood) && delete(entry)) {
                deleted.add(entry);
            }
        }
        return deleted.reversed();
    }

    /**
     * Deletes one snapshot file, labelled or not; false if it was already gone.
     *
     * @throws IllegalArgumentException if the entry's file is not in this store's directory
     */
    public synchronized boolean delete(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        Path parent = entry.file().getParent();
        if (parent == null || !parent.equals(directory)) {
            throw new IllegalArgumentException("snapshot " + entry.file() + " is not in the store " + directory);
        }
        try {
            boolean deleted = Files.deleteIfExists(entry.file());
            forceDirectory();
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete snapshot " + entry.file(), e);
        }
    }

    static void checkLabel(String label) {
        if (label != null && !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException(
                    "invalid checkpoint label \"" + label + "\": 1 to 64 characters from [A-Za-z0-9_-]");
        }
    }
}
