package dev.colony.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One read of one journal segment's bytes: its format version, its records up to the first one that is
 * not valid, and what was wrong there. Never changes the file.
 *
 * <p>The rule that tells a torn tail from damage (ADR 0020): reading stops at the first record that is
 * incomplete, fails its header or body checksum, or (checksums good) does not decode. From there the rest
 * of the segment is searched, byte by byte, for a valid record (header checksum and body checksum good;
 * under version 1, length in range and body checksum good). If one is found, the bad record is damage: the
 * records after it were acknowledged. If none is found, a crash mid-append is the one explanation that
 * fits, and it is a torn tail, but only in the newest segment (older segments were complete when the next
 * one started). A record that decodes badly despite good checksums is never a torn tail.
 */
final class SegmentScan {
    private final Path file;
    private final byte[] bytes;
    private final List<Journal.Entry> entries = new ArrayList<>();
    private int version;
    private int end; // the offset just after the last valid record
    private String problem; // what is wrong at end, or null
    private boolean neverTorn; // a problem no crash mid-append leaves: a damaged header, a body that does not decode

    private SegmentScan(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    /** Reads {@code bytes}, the content of segment {@code file}, up to the first bad record. */
    static SegmentScan read(Path file, byte[] bytes) {
        SegmentScan scan = new SegmentScan(file, bytes);
        scan.readHeader();
        if (scan.problem == null) {
            scan.readRecords();
        }
        return scan;
    }

    /** Finds the format: an empty file has none yet; version 2 has the magic; version 1 has no header. */
    private void readHeader() {
        byte[] magic = JournalCodec.MAGIC;
        int compared = Math.min(bytes.length, magic.length);
        int differing = 0;
        for (int i = 0; i < compared; i++) {
            differing += Integer.bitCount((bytes[i] ^ magic[i]) & 0xFF);
        }
        if (bytes.length == 0) {
            version = JournalCodec.VERSION; // a new segment before its header was written: nothing in it
            problem = null;
        } else if (bytes.length < JournalCodec.SEGMENT_HEADER && differing == 0) {
            version = JournalCodec.VERSION;
            problem = "incomplete segment header (" + bytes.length + " of " + JournalCodec.SEGMENT_HEADER + " bytes)";
        } else if (differing == 0) {
            version = JournalCodec.getInt(bytes, magic.length);
            end = JournalCodec.SEGMENT_HEADER;
            if (version != JournalCodec.VERSION) {
                problem = "unknown journal format version " + version + " (this build reads versions 1 and "
                        + JournalCodec.VERSION + ")";
                end = 0;
                neverTorn = true;
            }
        } else if (differing <= 8 && bytes.length >= magic.length) {
            // no version-1 record starts with a length this close to "COLONYJL": a damaged version-2 header
            problem = "damaged segment header (its magic differs from COLONYJL in " + differing + " bits)";
            neverTorn = true;
        } else {
            version = 1;
        }
    }

    private void readRecords() {
        while (end < bytes.length) {
            String bad = recordProblem(end);
            if (bad == null) {
                int header = header();
                int length = JournalCodec.getInt(bytes, end);
                try {
                    entries.add(JournalCodec.decode(bytes, end + header, length));
                } catch (CorruptJournalException e) {
                    bad = e.getMessage();
                    neverTorn = true;
                }
                if (bad == null) {
                    end += header + length;
                    continue;
                }
            }
            problem = bad;
            return;
        }
    }

    private int header() {
        return version == 1 ? JournalCodec.V1_HEADER : JournalCodec.HEADER;
    }

    /** Why the record at {@code position} is not whole and checksummed, or null if it is. */
    private String recordProblem(int position) {
        int header = header();
        if (bytes.length - position < header) {
            return "incomplete record header (" + (bytes.length - position) + " of " + header + " bytes)";
        }
        if (version != 1 && JournalCodec.crc(bytes, position, 8) != JournalCodec.getInt(bytes, position + 8)) {
            return "record header checksum mismatch";
        }
        long length = JournalCodec.getInt(bytes, position) & 0xFFFF_FFFFL;
        if (length < JournalCodec.MIN_BODY) {
            return "record length " + length + " is below the minimum " + JournalCodec.MIN_BODY;
        }
        long left = bytes.length - position - header;
        if (length > left) {
            return "record length " + length + " runs past the end of the segment (" + left + " bytes left)";
        }
        int crc = JournalCodec.getInt(bytes, position + 4);
        if (JournalCodec.crc(bytes, position + header, (int) length) != crc) {
            return "record body checksum mismatch";
        }
        return null;
    }

    /** The first offset after {@code from} where a whole, checksummed record starts, or -1. */
    private int nextValid(int from) {
        for (int q = from + 1; q <= bytes.length - header(); q++) {
            if (recordProblem(q) == null) {
                return q;
            }
        }
        return -1;
    }

    /**
     * What follows the bad record: the valid records found after it (resynchronising after each further
     * bad spot). Empty when nothing valid follows (a torn tail, if this is the newest segment).
     */
    private JournalDamage damage(boolean newest) {
        int next = nextValid(end);
        int records = 0;
        long first = -1;
        long last = -1;
        int position = next;
        while (position >= 0 && position < bytes.length) {
            if (recordProblem(position) != null) {
                position = nextValid(position);
                continue;
            }
            int header = header();
            long revision = JournalCodec.getLong(bytes, position + header);
            first = records == 0 ? revision : first;
            last = revision;
            records++;
            position += header + JournalCodec.getInt(bytes, position);
        }
        boolean torn = newest && next < 0 && !neverTorn;
        return new JournalDamage(end, problem, torn, next, records, first, last);
    }

    /** What this read found, as the public report; {@code newest} tells whether a clean cut may be a torn tail. */
    JournalSegment report(boolean newest) {
        long first = entries.isEmpty() ? -1 : entries.getFirst().change().revision();
        long last = entries.isEmpty() ? -1 : entries.getLast().change().revision();
        Optional<JournalDamage> damage = problem == null ? Optional.empty() : Optional.of(damage(newest));
        return new JournalSegment(file, version, bytes.length, entries.size(), first, last, damage);
    }

    List<Journal.Entry> entries() {
        return entries;
    }

    byte[] bytes() {
        return bytes;
    }

    int end() {
        return end;
    }
}
