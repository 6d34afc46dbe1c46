package dev.colony.server.dashboard;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The dashboard's time series in a file, so the overview chart survives a server restart (ADR 0053): a ring of
 * {@value #CAPACITY} fixed-size records, one per second, the record of epoch second {@code s} in slot
 * {@code s mod} {@value #CAPACITY}.
 *
 * <p>Layout, big-endian. A header of {@value #HEADER} bytes: the magic {@code COLNYSER}, the version (int,
 * {@value #VERSION}), the record size (int, {@value #RECORD}), the capacity (int) and a CRC-32C of those 20 bytes
 * (int). Then {@value #CAPACITY} records: the epoch second (long), events/s, messages/s and completed/s (doubles)
 * and a CRC-32C of those 32 bytes (int). A slot never written is all zeros. The file is always 21,624 bytes.
 *
 * <p>Why a slot per second and no head pointer: a write touches one record and nothing else, so a torn write
 * damages that record only (its checksum fails and it is skipped), and a record left from an earlier run is
 * either inside the window (wanted) or older (dropped by its own second). {@value #CAPACITY} records are the
 * chart's ten minutes; more would be kept but never shown.
 *
 * <p>Durability: one positional write per sample, no fsync. A killed process loses nothing (the kernel has the
 * write); a power loss or OS crash loses what the kernel had not written back yet (on Linux by default up to
 * about 30 s). {@link #close()} forces the file once.
 *
 * <p>Failures never stop the server: a damaged, foreign or other version file is ignored with one WARN line
 * naming it and replaced by an empty ring; a file that cannot be opened or written is logged once and the series
 * stays in memory. {@link #write} is thread-safe.
 */
final class SeriesFile implements AutoCloseable {
    static final int CAPACITY = Figures.SERIES_POINTS;
    static final int VERSION = 1;
    static final int HEADER = 24;
    static final int RECORD = 36;
    static final long SIZE = HEADER + (long) CAPACITY * RECORD;
    private static final byte[] MAGIC = "COLNYSER".getBytes(StandardCharsets.US_ASCII);
    private static final System.Logger LOG = System.getLogger("dev.colony.server.dashboard");

    /** The file is not a readable series of this version: why, for the WARN line. */
    private static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private final Path path;
    private final RandomAccessFile file;
    private final List<Figures.Point> loaded;
    private boolean warned;
    private boolean closed;

    private SeriesFile(Path path, RandomAccessFile file, List<Figures.Point> loaded) {
        this.path = path;
        this.file = file;
        this.loaded = List.copyOf(loaded);
    }

    /** No file: the series lives in memory only and starts empty (a colony without {@code --data}). */
    static SeriesFile none() {
        return new SeriesFile(null, null, List.of());
    }

    /**
     * Opens the ring at {@code path}, creating it when missing, and reads the points of the last
     * {@value #CAPACITY} seconds before {@code nowSecond} (inclusive). Never throws for the file's content.
     */
    static SeriesFile open(Path path, long nowSecond) {
        List<Figures.Point> points = List.of();
        boolean fresh = true;
        if (Files.exists(path)) {
            try {
                points = read(path, nowSecond);
                fresh = false;
            } catch (Unreadable e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "ignoring the dashboard history " + path + ": " + e.getMessage() + "; starting an empty one");
            }
        }
        try {
            RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
            try {
                if (fresh) {
                    file.setLength(0);
                    file.write(header());
                    file.setLength(SIZE);
                }
            } catch (IOException e) {
                file.close();
                throw e;
            }
            return new SeriesFile(path, file, points);
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "no dashboard history: cannot open " + path + " (" + e.getMessage()
                            + "); the series stays in memory");
            return new SeriesFile(path, null, points);
        }
    }

    /** The points read at open, oldest first, none older than the window, none from the future. */
    List<Figures.Point> loaded() {
        return loaded;
    }

    /** Writes one sample into its second's slot (no fsync); a failure is logged once and otherwise ignored. */
    synchronized void write(Figures.Point point) {
        if (file == null || closed) {
            return;
        }
        try {
            file.seek(HEADER + (long) Math.floorMod(point.epochSecond(), CAPACITY) * RECORD);
            file.write(record(point));
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot write the dashboard history " + path + " (" + e.getMessage()
                                + "); the series stays in memory");
            }
        }
    }

    /** Forces the file once and closes it; idempotent. */
    @Override
    public synchronized void close() {
        if (file == null || closed) {
            return;
        }
        closed = true;
        try {
            file.getChannel().force(false);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot flush the dashboard history " + path + ": " + e.getMessage());
        } finally {
            try {
                file.close();
            } catch (IOException e) {
                // closing a file we only wrote to: nothing more to save
            }
        }
    }

    static List<Figures.Point> read(Path path, long nowSecond) throws Unreadable {
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size != SIZE) {
                checkHeader(readHeader(path)); // a foreign file is named as such, whatever its size
                throw new Unreadable("it is " + size + " bytes, expected " + SIZE + " (truncated?)");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new Unreadable("cannot read it (" + e.getMessage() + ")");
        }
        checkHeader(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<Figures.Point> points = new ArrayList<>();
        int damaged = 0;
        for (int slot = 0; slot < CAPACITY; slot++) {
            int at = HEADER + slot * RECORD;
            if (allZero(bytes, at, RECORD)) {
                continue;
            }
            if (b.getInt(at + 32) != crc(bytes, at, 32)) {
                damaged++;
                continue;
            }
            long second = b.getLong(at);
            if (second > nowSecond - CAPACITY && second <= nowSecond) {
                points.add(new Figures.Point(second, b.getDouble(at + 8), b.getDouble(at + 16), b.getDouble(at + 24)));
            }
        }
        if (damaged > 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "skipped " + damaged + " damaged record(s) of the dashboard history " + path);
        }
        points.sort(Comparator.comparingLong(Figures.Point::epochSecond));
        return points;
    }

    private static byte[] readHeader(Path path) throws IOException {
        try (var in = Files.newInputStream(path)) {
            return in.readNBytes(HEADER);
        }
    }

    private static void checkHeader(byte[] bytes) throws Unreadable {
        if (bytes.length < HEADER) {
            throw new Unreadable("it is " + bytes.length + " bytes, shorter than its header (truncated?)");
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new Unreadable("not a dashboard history file (no COLNYSER header)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(HEADER - 4) != crc(bytes, 0, HEADER - 4)) {
            throw new Unreadable("its header is damaged (checksum)");
        }
        if (b.getInt(8) != VERSION) {
            throw new Unreadable("it is version " + b.getInt(8) + ", this server reads version " + VERSION);
        }
        if (b.getInt(12) != RECORD || b.getInt(16) != CAPACITY) {
            throw new Unreadable("its layout is " + b.getInt(16) + " records of " + b.getInt(12) + " bytes, expected "
                    + CAPACITY + " of " + RECORD);
        }
    }

    static byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(HEADER)
                .put(MAGIC)
                .putInt(VERSION)
                .putInt(RECORD)
                .putInt(CAPACITY);
        return b.putInt(crc(b.array(), 0, HEADER - 4)).array();
    }

    static byte[] record(Figures.Point p) {
        ByteBuffer b = ByteBuffer.allocate(RECORD)
                .putLong(p.epochSecond())
                .putDouble(p.eventsPerSecond())
                .putDouble(p.messagesPerSecond())
                .putDouble(p.completedPerSecond());
        return b.putInt(crc(b.array(), 0, RECORD - 4)).array();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static boolean allZero(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
