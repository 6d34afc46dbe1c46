package dev.colony.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/** A growable big-endian byte buffer for the binary snapshot body and journal records. Not thread-safe. */
final class BodyWriter {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] bytes;
    private int size;

    BodyWriter(int initialCapacity) {
        bytes = new byte[Math.max(64, initialCapacity)];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    void putByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    void putInt(int value) {
        ensure(4);
        INT.set(bytes, size, value);
        size += 4;
    }

    void putLong(long value) {
        ensure(8);
        LONG.set(bytes, size, value);
        size += 8;
    }

    void putBoolean(boolean value) {
        putByte(value ? 1 : 0);
    }

    /** Length-prefixed UTF-8; -1 for null. */
    void putString(String value) {
        if (value == null) {
            putInt(-1);
            return;
        }
        int length = value.length();
        if (length >= 32) { // the JDK's encoder checks and copies ASCII with vector instructions
            putBytes(value.getBytes(StandardCharsets.UTF_8));
            return;
        }
        ensure(4 + length);
        int start = size + 4;
        // one pass that checks and copies: ids, names and keys are short and ASCII, the common case
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                putBytes(value.getBytes(StandardCharsets.UTF_8));
                return;
            }
            bytes[start + i] = (byte) c;
        }
        INT.set(bytes, size, length);
        size = start + length;
    }

    /** Length-prefixed bytes of a memory entry's value, copied straight from the entry. */
    void putValue(MemoryEntry entry) {
        int length = entry.valueLength();
        putInt(length);
        ensure(length);
        entry.copyValueTo(bytes, size);
        size += length;
    }

    /** Length-prefixed bytes; -1 for null. */
    void putBytes(byte[] value) {
        if (value == null) {
            putInt(-1);
            return;
        }
        putInt(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    /** Seconds and nanoseconds; a null instant is written as {@link Long#MIN_VALUE} seconds. */
    void putInstant(Instant value) {
        if (value == null) {
            putLong(Long.MIN_VALUE);
            return;
        }
        putLong(value.getEpochSecond());
        putInt(value.getNano());
    }

    /** Overwrites the four bytes at {@code offset}, already written, with {@code value}. */
    void putIntAt(int offset, int value) {
        INT.set(bytes, offset, value);
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }
}
