package dev.colony.messaging;

import java.util.Arrays;
import tools.jackson.core.io.NumberOutput;

/**
 * A growable byte buffer that JSON tokens are written into: the output of the codec's plain-record path
 * ({@link PlainRecordCodec}). One instance serves one encode; not thread-safe.
 *
 * <p>Numbers are formatted straight into the buffer by Jackson's {@link NumberOutput}, the writer the Jackson
 * path uses too: for a double the shortest decimal that reads back as the same double (its XJB algorithm,
 * about 35 ns a double where the JDK's {@code StringBuilder.append(double)} plus the copy took 48, ADR 0062). Strings are escaped as Jackson
 * escapes them; an unpaired surrogate, which has no UTF-8 form, gives up with {@link PlainRecord#FALLBACK}
 * so that Jackson's path decides what it means.
 */
final class JsonOutput {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final int LONG_BYTES = 20; // "-9223372036854775808"

    private byte[] bytes;
    private int size;

    JsonOutput(int capacity) {
        this.bytes = new byte[capacity];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void raw(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
    }

    /** Text known to be ASCII and to need no escapes: names of properties, fixed values. */
    void ascii(byte[] text) {
        ensure(text.length);
        System.arraycopy(text, 0, bytes, size, text.length);
        size += text.length;
    }

    /** {@code "name":} for a name that needs no escapes. */
    void name(byte[] quotedNameAndColon) {
        ascii(quotedNameAndColon);
    }

    void number(long value) {
        ensure(LONG_BYTES);
        size = NumberOutput.outputLong(value, bytes, size);
    }

    void number(int value) {
        ensure(LONG_BYTES);
        size = NumberOutput.outputInt(value, bytes, size);
    }

    /** A finite double in its shortest round-trip form; NaN and the infinities as strings, as Jackson writes them. */
    void number(double value) {
        if (!Double.isFinite(value)) {
            string(Double.toString(value));
            return;
        }
        ensure(NumberOutput.MAX_DOUBLE_BYTES);
        size = NumberOutput.outputDouble(value, bytes, size);
    }

    void bool(boolean value) {
        ascii(value ? TRUE : FALSE);
    }

    void nullValue() {
        ascii(NULL);
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** A JSON string: ASCII copied in one pass, escapes and UTF-8 where needed. */
    void string(String s) {
        int n = s.length();
        ensure(n + 2);
        byte[] b = bytes;
        int p = size;
        b[p++] = '"';
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            b[p++] = (byte) c;
        }
        size = p;
        if (i < n) {
            slowString(s, i);
        }
        raw('"');
    }

    private void slowString(String s, int from) {
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                asciiChar(c);
            } else if (c < 0x800) {
                ensure(2);
                bytes[size++] = (byte) (0xC0 | c >> 6);
                bytes[size++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw PlainRecord.FALLBACK;
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                bytes[size++] = (byte) (0xF0 | cp >> 18);
                bytes[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[size++] = (byte) (0x80 | cp & 0x3F);
            } else {
                ensure(3);
                bytes[size++] = (byte) (0xE0 | c >> 12);
                bytes[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[size++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private void asciiChar(char c) {
        ensure(6);
        switch (c) {
            case '"' -> escape('"');
            case '\\' -> escape('\\');
            case '\n' -> escape('n');
            case '\r' -> escape('r');
            case '\t' -> escape('t');
            case '\b' -> escape('b');
            case '\f' -> escape('f');
            default -> {
                if (c < 0x20) {
                    bytes[size++] = '\\';
                    bytes[size++] = 'u';
                    bytes[size++] = '0';
                    bytes[size++] = '0';
                    bytes[size++] = HEX[c >> 4];
                    bytes[size++] = HEX[c & 0xF];
                } else {
                    bytes[size++] = (byte) c;
                }
            }
        }
    }

    private void escape(char c) {
        bytes[size++] = '\\';
        bytes[size++] = (byte) c;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
