package dev.colony.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reading a journal directory's segments at open, for inspection and for repair (ADR 0020). Nothing is
 * ever truncated before the bytes cut away are written, and forced, to a side file beside the segment.
 */
final class JournalRecovery {
    private static final System.Logger LOG = System.getLogger("dev.colony.snapshot");

    /** The records read at open, the newest segment's first revision and format. */
    record Recovered(List<Journal.Entry> entries, long newestFirst, int newestVersion) {}

    private JournalRecovery() {}

    /**
     * Reads every segment for {@link Journal#open}: sets a torn tail of the newest segment aside, stops at
     * any other damage.
     *
     * @throws CorruptJournalException naming the segment, the offset and the problem
     */
    static Recovered recover(Path directory) throws IOException {
        TreeMap<Long, Path> segments = Journal.segments(directory);
        List<Journal.Entry> entries = new ArrayList<>();
        String torn = "";
        int newestVersion = JournalCodec.VERSION;
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            boolean newest = segment.getKey().equals(segments.lastKey());
            SegmentScan scan = SegmentScan.read(segment.getValue(), Files.readAllBytes(segment.getValue()));
            JournalSegment report = scan.report(newest);
            if (report.damage().isPresent()) {
                JournalDamage damage = report.damage().get();
                if (!damage.tornTail()) {
                    throw new CorruptJournalException(damageMessage(report, damage, newest));
                }
                Path side = setAside(segment.getValue(), scan.bytes(), scan.end());
                torn = "; torn tail of " + (scan.bytes().length - scan.end()) + " bytes at offset " + scan.end()
                        + " of " + segment.getValue().getFileName() + " (" + damage.problem() + ") set aside in "
                        + side;
            }
            entries.addAll(scan.entries());
            newestVersion = report.version();
        }
        long last = entries.isEmpty() ? -1 : entries.getLast().change().revision();
        LOG.log(
                torn.isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "journal in {0}: read {1} records from {2} segments, last revision {3}{4}",
                directory,
                String.valueOf(entries.size()), // as is: MessageFormat would group the digits
                String.valueOf(segments.size()),
                String.valueOf(last),
                torn);
        long newestFirst = segments.isEmpty() ? 0 : segments.lastKey();
        return new Recovered(List.copyOf(entries), newestFirst, newestVersion);
    }

    static String damageMessage(JournalSegment report, JournalDamage damage, boolean newest) {
        String why = damage.recordsAfter() > 0 || newest
                ? ""
                : ", and it is not the newest segment (a torn tail can only be in the newest)";
        return "journal segment " + report.file() + " is damaged at " + damage.describe() + why
                + "; recovery stopped and nothing was cut (see colony journal inspect and repair)";
    }

    /** Every segment as a read finds it, oldest first; changes nothing. */
    static List<JournalSegment> inspect(Path directory) throws IOException {
        TreeMap<Long, Path> segments = Journal.segments(directory);
        List<JournalSegment> reports = new ArrayList<>();
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            boolean newest = segment.getKey().equals(segments.lastKey());
            byte[] bytes = Files.readAllBytes(segment.getValue());
            reports.add(SegmentScan.read(segment.getValue(), bytes).report(newest));
        }
        return reports;
    }

    /** See {@link Journal#repair}. */
    static Optional<JournalRepair> repair(Path directory, boolean dropFollowing) throws IOException {
        List<JournalSegment> reports = inspect(directory);
        int bad = 0;
        while (bad < reports.size() && reports.get(bad).damage().isEmpty()) {
            bad++;
        }
        if (bad == reports.size()) {
            return Optional.empty();
        }
        JournalSegment damaged = reports.get(bad);
        JournalDamage damage = damaged.damage().orElseThrow();
        if (damaged.version() < 0 || damaged.version() > JournalCodec.VERSION) { // 0: a damaged header
            throw new IllegalStateException("journal segment " + damaged.file() + " has format version "
                    + damaged.version() + ", which this build does not read: not repairing it");
        }
        Lost lost = new Lost(damage.recordsAfter(), damage.firstRevisionAfter(), damage.lastRevisionAfter());
        List<JournalSegment> later = reports.subList(bad + 1, reports.size());
        for (JournalSegment segment : later) {
            lost = lost.plus(segment);
        }
        if (lost.records > 0 && !dropFollowing) {
            throw new IllegalStateException("journal segment " + damaged.file() + " is damaged at " + damage.describe()
                    + "; repair would drop " + lost.records + " valid records (revisions " + lost.first + " to "
                    + lost.last + "), acknowledged operations: not repairing without force");
        }
        byte[] bytes = Files.readAllBytes(damaged.file());
        Path side = setAside(damaged.file(), bytes, (int) damage.offset());
        List<Path> moved = new ArrayList<>();
        for (JournalSegment segment : later) {
            Path target = free(segment.file().resolveSibling(segment.file().getFileName() + ".set-aside"));
            Files.move(segment.file(), target, StandardCopyOption.ATOMIC_MOVE);
            moved.add(target);
        }
        forceDirectory(directory);
        LOG.log(
                System.Logger.Level.WARNING,
                "journal segment {0} repaired: cut at offset {1} into {2}, {3} later segments set aside, {4} records lost",
                damaged.file(),
                String.valueOf(damage.offset()),
                side,
                String.valueOf(moved.size()),
                String.valueOf(lost.records));
        return Optional.of(
                new JournalRepair(damaged.file(), damage.offset(), side, moved, lost.records, lost.first, lost.last));
    }

    /** Records lost by a repair, and their revision range. */
    private record Lost(int records, long first, long last) {
        Lost plus(JournalSegment segment) {
            Lost sum = plus(segment.records(), segment.firstRevision(), segment.lastRevision());
            return segment.damage()
                    .map(d -> sum.plus(d.recordsAfter(), d.firstRevisionAfter(), d.lastRevisionAfter()))
                    .orElse(sum);
        }

        private Lost plus(int count, long from, long to) {
            if (count == 0) {
                return this;
            }
            return records == 0 ? new Lost(count, from, to) : new Lost(records + count, first, to);
        }
    }

    /**
     * Writes {@code bytes} from {@code offset} to a side file beside {@code segment} and forces it, then
     * cuts the segment at {@code offset}. Returns the side file.
     */
    static Path setAside(Path segment, byte[] bytes, int offset) throws IOException {
        Path side = free(segment.resolveSibling(segment.getFileName() + ".torn-" + offset));
        try (FileChannel out = FileChannel.open(side, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(Arrays.copyOfRange(bytes, offset, bytes.length)));
            out.force(true);
        }
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(offset);
            channel.force(true);
        }
        forceDirectory(segment.toAbsolutePath().getParent());
        return side;
    }

    /** {@code file}, or {@code file-1}, {@code file-2}…: the first name not taken (earlier side files stay). */
    private static Path free(Path file) {
        Path candidate = file;
        for (int n = 1; Files.exists(candidate); n++) {
            candidate = file.resolveSibling(file.getFileName() + "-" + n);
        }
        return candidate;
    }

    static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UncheckedIOException e) {
            // some file systems cannot open a directory for fsync
        }
    }
}
