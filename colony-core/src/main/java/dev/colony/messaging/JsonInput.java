package dev.colony.messaging;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.io.NumberInput;

/**
 * A strict reader of the JSON that the codec's plain-record path accepts ({@link PlainRecordCodec}): it
 * reads tokens in place from the message's bytes and gives up with {@link PlainRecord#FALLBACK} at the
 * first thing outside that narrow path, leaving the message to the Jackson path, which accepts or refuses
 * it with the reason it always gave. One instance serves one decode; not thread-safe.
 *
 * <p>What it reads: strings of printable ASCII without escapes, property names matched byte for byte
 * against the names it expects, numbers in the JSON grammar, {@code true}, {@code false}, {@code null},
 * and the structural characters with JSON whitespace between them. Whatever it accepts it reads within
 * the codec's limits: a string or number longer than its limit, or nesting deeper, gives up rather than
 * judging, so Jackson's path reports it exactly as before.
 */
final class JsonInput {
    private final byte[] b;
    private int pos;
    private final CodecLimits limits;

    JsonInput(byte[] bytes, CodecLimits limits) {
        this.b = bytes;
        this.limits = limits;
    }

    CodecLimits limits() {
        return limits;
    }

    /** The next byte after whitespace, not consumed; -1 at the end. */
    int peek() {
        byte[] b = this.b;
        int p = pos;
        while (p < b.length) {
            byte c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                pos = p;
                return c;
            }
            p++;
        }
        pos = p;
        return -1;
    }

    void expect(char c) {
        if (peek() != c) {
            throw PlainRecord.FALLBACK;
        }
        pos++;
    }

    /** Consumes {@code c} if it comes next (after whitespace). */
    boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    boolean atEnd() {
        return peek() == -1;
    }

    /**
     * Matches the next property name and its colon against {@code names} (each the bare ASCII name),
     * trying {@code hint} first; the index of the match, or -1 when the name is none of them (the name is
     * then not consumed).
     */
    int name(byte[][] names, int hint) {
        if (peek() != '"') {
            throw PlainRecord.FALLBACK;
        }
        int start = pos + 1;
        if (hint >= 0 && hint < names.length && matches(start, names[hint])) {
            return consumeName(start, names[hint], hint);
        }
        for (int i = 0; i < names.length; i++) {
            if (i != hint && matches(start, names[i])) {
                return consumeName(start, names[i], i);
            }
        }
        return -1;
    }

    private boolean matches(int start, byte[] name) {
        int end = start + name.length;
        if (end >= b.length || b[end] != '"') {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private int consumeName(int start, byte[] name, int index) {
        pos = start + name.length + 1;
        expect(':');
        return index;
    }

    /** A property name that is none of the expected ones, with its colon. */
    String otherName() {
        String name = string(limits.maxNameLength());
        expect(':');
        return name;
    }

    /** {@code null} if it comes next. */
    boolean nullValue() {
        if (peek() == 'n' && literal(NULL)) {
            return true;
        }
        return false;
    }

    boolean bool() {
        int c = peek();
        if (c == 't' && literal(TRUE)) {
            return true;
        }
        if (c == 'f' && literal(FALSE)) {
            return false;
        }
        throw PlainRecord.FALLBACK;
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private boolean literal(byte[] word) {
        int end = pos + word.length;
        if (end > b.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[pos + i] != word[i]) {
                return false;
            }
        }
        if (end < b.length && isWordByte(b[end])) {
            throw PlainRecord.FALLBACK;
        }
        pos = end;
        return true;
    }

    private static boolean isWordByte(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** A string value within the string limit. */
    String string() {
        return string(limits.maxStringLength());
    }

    private String string(int maxLength) {
        if (peek() != '"') {
            throw PlainRecord.FALLBACK;
        }
        byte[] b = this.b;
        int start = pos + 1;
        int p = start;
        while (true) {
            if (p >= b.length) {
                throw PlainRecord.FALLBACK;
            }
            byte c = b[p];
            if (c == '"') {
                break;
            }
            if (c < 0x20 || c == '\\') { // also every byte >= 0x80: negative as a signed byte
                throw PlainRecord.FALLBACK;
            }
            p++;
        }
        if (p - start > maxLength) {
            throw PlainRecord.FALLBACK;
        }
        pos = p + 1;
        return new String(b, start, p - start, StandardCharsets.ISO_8859_1);
    }

    /** An integer that fits a long, without a fraction or exponent. */
    long longValue() {
        peek();
        int start = pos;
        int end = numberEnd();
        int p = start;
        boolean negative = b[p] == '-';
        if (negative) {
            p++;
        }
        int digits = end - p;
        if (digits > 18 || hasFractionOrExponent(p, end)) {
            throw PlainRecord.FALLBACK; // Jackson's path coerces, or reads the 19th digit with an overflow check
        }
        long value = 0;
        for (; p < end; p++) {
            value = value * 10 + (b[p] - '0');
        }
        pos = end;
        return negative ? -value : value;
    }

    /** A number that is one digit and nothing else. */
    int digit() {
        peek();
        int end = numberEnd();
        if (end != pos + 1) {
            throw PlainRecord.FALLBACK;
        }
        return b[pos++] - '0';
    }

    int intValue() {
        long value = longValue();
        if (value != (int) value) {
            throw PlainRecord.FALLBACK;
        }
        return (int) value;
    }

    /** A number read as the double nearest its decimal value (FastDoubleParser, through Jackson's API). */
    double doubleValue() {
        peek();
        int start = pos;
        int end = numberEnd();
        if (end - start == 2 && b[start] == '-' && b[start + 1] == '0') {
            throw PlainRecord.FALLBACK; // Jackson reads the integer -0 as the int 0, so as +0.0
        }
        // FastDoubleParser's CharSequence path: its char[] path reads through a MemorySegment whose session
        // the JIT did not scalar-replace here (a fifth of the decode's samples, ADR 0062)
        double value = NumberInput.parseDouble(new String(b, start, end - start, StandardCharsets.ISO_8859_1), true);
        if (!Double.isFinite(value)) {
            throw PlainRecord.FALLBACK;
        }
        pos = end;
        return value;
    }

    private boolean hasFractionOrExponent(int from, int end) {
        for (int i = from; i < end; i++) {
            byte c = b[i];
            if (c == '.' || c == 'e' || c == 'E') {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks the number at the position against the JSON grammar {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}
     * and returns where it ends; gives up when it is not one or is longer than the number limit (its whole
     * text, so never shorter than the digits that the limit counts).
     */
    private int numberEnd() {
        byte[] b = this.b;
        int p = pos;
        if (p < b.length && b[p] == '-') {
            p++;
        }
        if (p >= b.length) {
            throw PlainRecord.FALLBACK;
        }
        if (b[p] == '0') {
            p++;
        } else if (b[p] >= '1' && b[p] <= '9') {
            p = digits(p);
        } else {
            throw PlainRecord.FALLBACK;
        }
        if (p < b.length && b[p] == '.') {
            int q = digits(p + 1);
            if (q == p + 1) {
                throw PlainRecord.FALLBACK;
            }
            p = q;
        }
        if (p < b.length && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < b.length && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int q = digits(p);
            if (q == p) {
                throw PlainRecord.FALLBACK;
            }
            p = q;
        }
        if (p < b.length && (isWordByte(b[p]) || b[p] == '.' || b[p] == '-' || b[p] == '+')) {
            throw PlainRecord.FALLBACK;
        }
        if (p - pos > limits.maxNumberLength()) {
            throw PlainRecord.FALLBACK;
        }
        return p;
    }

    private int digits(int p) {
        byte[] b = this.b;
        while (p < b.length && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        return p;
    }
}
