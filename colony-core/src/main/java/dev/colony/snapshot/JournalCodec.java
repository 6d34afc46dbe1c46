package dev.colony.snapshot;

import dev.colony.state.AgentRecord;
import dev.colony.state.Leadership;
import dev.colony.state.MemoryEntry;
import dev.colony.state.StateChange;
import dev.colony.state.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The journal segment and record formats (ADR 0020). A version-2 segment starts with a header, then
 * records:
 *
 * <pre>
 * segment header (12 bytes)     record (version 2)
 * size  field                   size  field
 *  8    magic "COLONYJL"         4    body length
 *  4    format version (2)       4    CRC32C of the body
 *                                4    CRC32C of the 8 bytes above (the header checksum)
 *                                n    body: revision (8), change (string), subject (string),
 *                                          entity kind (1), entity
 * </pre>
 *
 * Big-endian; strings and entities as in {@link SnapshotBody}. Entity kinds: 0 agent, 1 task,
 * 2 leadership (with its group), 3 memory entry, 4 snapshot (a restore). The header checksum covers the
 * length, so a damaged length is told from a torn write instead of being believed.
 *
 * <p>Version 1 (before ADR 0020) had no segment header and no header checksum: {@code [length][CRC32C of
 * body][body]}. It is still read.
 */
final class JournalCodec {
    static final byte[] MAGIC = {'C', 'O', 'L', 'O', 'N', 'Y', 'J', 'L'};
    static final int VERSION = 2;
    static final int SEGMENT_HEADER = MAGIC.length + 4;
    /** The record header of version 2: length, body CRC, header CRC. */
    static final int HEADER = 12;
    /** The record header of version 1: length, body CRC. */
    static final int V1_HEADER = 8;
    /** revision, two null strings, a kind: no body is shorter. */
    static final int MIN_BODY = 8 + 4 + 4 + 1;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int AGENT = 0;
    private static final int TASK = 1;
    private static final int LEADERSHIP = 2;
    private static final int MEMORY = 3;
    private static final int SNAPSHOT = 4;

    private JournalCodec() {}

    /** Appends one record for {@code change}, announced or journaled as {@code subject}, to {@code out}. */
    static void append(BodyWriter out, String subject, StateChange change) {
        int start = out.size();
        out.putLong(0); // header, patched below
        out.putInt(0);
        out.putLong(change.revision());
        out.putString(change.change());
        out.putString(subject);
        switch (change.value()) {
            case AgentRecord agent -> {
                out.putByte(AGENT);
                SnapshotBody.putAgent(out, agent);
            }
            case Task task -> {
                out.putByte(TASK);
                SnapshotBody.putTask(out, task);
            }
            case Leadership leadership -> {
                out.putByte(LEADERSHIP);
                out.putString(leadership.group());
                SnapshotBody.putLeadershipFields(out, leadership);
            }
            case MemoryEntry entry -> {
                out.putByte(MEMORY);
                SnapshotBody.putMemoryEntry(out, entry);
            }
            case Snapshot snapshot -> {
                out.putByte(SNAPSHOT);
                SnapshotBody.putSnapshot(out, snapshot);
            }
            default ->
                throw new IllegalArgumentException("cannot journal a change whose value is a "
                        + change.value().getClass().getName());
        }
        int bodyLength = out.size() - start - HEADER;
        out.putIntAt(start, bodyLength);
        out.putIntAt(start + 4, crc(out.array(), start + HEADER, bodyLength));
        out.putIntAt(start + 8, crc(out.array(), start, 8));
    }

    /** The header a version-2 segment starts with. */
    static byte[] segmentHeader() {
        BodyWriter out = new BodyWriter(SEGMENT_HEADER);
        for (byte b : MAGIC) {
            out.putByte(b);
        }
        out.putInt(VERSION);
        return Arrays.copyOf(out.array(), out.size());
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static int getInt(byte[] bytes, int offset) {
        return (int) INT.get(bytes, offset);
    }

    static long getLong(byte[] bytes, int offset) {
        return (long) LONG.get(bytes, offset);
    }

    /**
     * Decodes one record body whose checksum matched.
     *
     * @throws CorruptJournalException if it does not decode
     */
    static Journal.Entry decode(byte[] bytes, int offset, int length) {
        BodyReader in = new BodyReader(bytes, offset, length);
        try {
            long revision = in.getLong();
            String change = required(in.getString(), "change");
            String subject = required(in.getString(), "subject");
            int kind = in.getByte();
            Object value = switch (kind) {
                case AGENT -> SnapshotBody.getAgent(in);
                case TASK -> SnapshotBody.getTask(in);
                case LEADERSHIP -> SnapshotBody.getLeadershipFields(in, in.getString());
                case MEMORY -> SnapshotBody.getMemoryEntry(in);
                case SNAPSHOT -> SnapshotBody.getSnapshot(in);
                default -> throw new CorruptJournalException("unknown entity kind " + kind);
            };
            in.expectEnd();
            return new Journal.Entry(subject, new StateChange(revision, change, value));
        } catch (CorruptSnapshotException | IllegalArgumentException | NullPointerException e) {
            throw new CorruptJournalException("journal record does not decode: " + e.getMessage(), e);
        }
    }

    private static String required(String value, String what) {
        if (value == null) {
            throw new CorruptJournalException("journal record lacks its " + what);
        }
        return value;
    }
}
