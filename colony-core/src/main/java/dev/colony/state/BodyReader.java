package dev.colony.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

/** Reads what {@link BodyWriter} wrote, refusing to read past the end with a {@link CorruptSnapshotException}. */
final class BodyReader {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] bytes;
    private final int end;
    private int position;

    BodyReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    private void need(int count) {
        if (count < 0 || end - position < count) {
            throw new CorruptSnapshotException("snapshot body ends early: " + count + " more bytes needed at offset "
                    + position + ", " + (end - position) + " left");
        }
    }

    int getByte() {
        need(1);
        return bytes[position++] & 0xFF;
    }

    boolean getBoolean() {
        int value = getByte();
        if (value > 1) {
            throw new CorruptSnapshotException("invalid boolean " + value + " at offset " + (position - 1));
        }
        return value == 1;
    }

    int getInt() {
        need(4);
        int value = (int) INT.get(bytes, position);
        position += 4;
        return value;
    }

    long getLong() {
        need(8);
        long value = (long) LONG.get(bytes, position);
        position += 8;
        return value;
    }

    /** A count of following items: not negative, and not more than the bytes left could hold. */
    int getCount(int minBytesPerItem) {
        int count = getInt();
        if (count < 0 || (long) count * minBytesPerItem > end - position) {
            throw new CorruptSnapshotException("invalid item count " + count + " at offset " + (position - 4));
        }
        return count;
    }

    String getString() {
        int length = getInt();
        if (length == -1) {
            return null;
        }
        need(length);
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    byte[] getBytes() {
        int length = getInt();
        if (length == -1) {
            return null;
        }
        need(length);
        byte[] value = new byte[length];
        System.arraycopy(bytes, position, value, 0, length);
        position += length;
        return value;
    }

    Instant getInstant() {
        long seconds = getLong();
        if (seconds == Long.MIN_VALUE) {
            return null;
        }
        int nanos = getInt();
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException | ArithmeticException e) {
            throw new CorruptSnapshotException("invalid instant " + seconds + "s " + nanos + "ns");
        }
    }

    /** Fails unless every byte was read. */
    void expectEnd() {
        if (position != end) {
            throw new CorruptSnapshotException((end - position) + " unexpected bytes after the snapshot body");
        }
    }
}
