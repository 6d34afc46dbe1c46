package dev.colony.snapshot;

import dev.colony.state.SnapshotCheck;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Turns {@link Snapshot}s into bytes and back, in either {@link SnapshotFormat}, and tells what a file
 * holds without restoring it.
 *
 * <h2>Binary format, version 1</h2>
 *
 * <pre>
 * offset size  field
 *  0      8    magic "COLONYSN"
 *  8      2    format version (1)
 * 10      1    flags: bit 0 = body compressed with LZ4 (block format)
 * 11      1    reserved, 0
 * 12      4    body length, uncompressed
 * 16      4    stored body length (as it follows in the file)
 * 20      4    CRC32C of bytes 0-19 and of the stored body
 * 24      n    the stored body ({@code SnapshotBody})
 * </pre>
 *
 * All integers are big-endian. A file that is shorter or longer than its header says, whose checksum
 * does not match, or whose body does not decode is refused with a {@link CorruptSnapshotException}
 * saying which; nothing is returned from it.
 *
 * <h2>JSON format</h2>
 *
 * {@code {"format": "colony-snapshot", "version": 1, "crc32c": …, "snapshot": {…}}}: the checksum is the
 * CRC32C of the binary body of the snapshot the JSON decodes to, so it checks content, not whitespace.
 *
 * <p>Thread-safe; holds no per-call state.
 */
public final class SnapshotCodec {
    static final byte[] MAGIC = {'C', 'O', 'L', 'O', 'N', 'Y', 'S', 'N'};
    static final int VERSION = 1;
    static final int HEADER = 24;
    private static final int FLAG_LZ4 = 1;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    // the pure-Java codec: no JNI library and no sun.misc.Unsafe, so no JDK 25 warnings
    private static final LZ4Factory LZ4 = LZ4Factory.safeInstance();

    private SnapshotCodec() {}

    /** The binary format, uncompressed. */
    public static byte[] encode(Snapshot snapshot) {
        return encode(snapshot, SnapshotFormat.BINARY, false);
    }

    /**
     * Encodes {@code snapshot}.
     *
     * @param compress LZ4-compress the body (binary format only; ignored for JSON)
     */
    public static byte[] encode(Snapshot snapshot, SnapshotFormat format, boolean compress) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(format, "format");
        BodyWriter body = SnapshotBody.encode(snapshot, SnapshotBody.estimateSize(snapshot));
        return switch (format) {
            case BINARY -> binary(body, compress);
            case JSON -> JsonSnapshots.write(snapshot, crc(body.array(), 0, body.size()));
        };
    }

    private static byte[] binary(BodyWriter body, boolean compress) {
        byte[] stored;
        int storedLength;
        if (compress) {
            LZ4Compressor compressor = LZ4.fastCompressor();
            stored = new byte[HEADER + compressor.maxCompressedLength(body.size())];
            storedLength = compressor.compress(body.array(), 0, body.size(), stored, HEADER);
        } else {
            stored = new byte[HEADER + body.size()];
            System.arraycopy(body.array(), 0, stored, HEADER, body.size());
            storedLength = body.size();
        }
        System.arraycopy(MAGIC, 0, stored, 0, MAGIC.length);
        SHORT.set(stored, 8, (short) VERSION);
        stored[10] = (byte) (compress ? FLAG_LZ4 : 0);
        stored[11] = 0;
        INT.set(stored, 12, body.size());
        INT.set(stored, 16, storedLength);
        CRC32C crc = new CRC32C();
        crc.update(stored, 0, 20);
        crc.update(stored, HEADER, storedLength);
        INT.set(stored, 20, (int) crc.getValue());
        return stored.length == HEADER + storedLength ? stored : Arrays.copyOf(stored, HEADER + storedLength);
    }

    /**
     * Decodes a snapshot in either format, after checking its checksum, and checks the decoded snapshot's
     * cross-record rules ({@link SnapshotCheck}), so whatever this returns a restore accepts.
     *
     * @throws CorruptSnapshotException if the bytes are not a valid snapshot; its one-line message says why.
     *     No other exception escapes for any input.
     */
    public static Snapshot decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Snapshot snapshot;
        try {
            snapshot = decodeContent(bytes);
        } catch (CorruptSnapshotException e) {
            throw e;
        } catch (RuntimeException e) {
            // a record constructor's validation, or anything the checks above missed: still one clear line
            throw new CorruptSnapshotException("snapshot content is invalid: " + describe(e));
        }
        try {
            SnapshotCheck.check(snapshot);
        } catch (IllegalArgumentException e) {
            throw new CorruptSnapshotException(e.getMessage());
        }
        return snapshot;
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static Snapshot decodeContent(byte[] bytes) {
        if (isBinary(bytes)) {
            Header header = header(bytes);
            byte[] body = body(bytes, header);
            return SnapshotBody.decode(body, 0, header.bodyLength);
        }
        if (looksLikeJson(bytes)) {
            return JsonSnapshots.read(bytes);
        }
        throw new CorruptSnapshotException("not a Colony snapshot: neither the binary magic \"COLONYSN\" nor JSON");
    }

    /**
     * What {@code bytes} hold: format, version, sizes, counts and whether the checksum matches. Never throws
     * for corrupt input: the problem is in {@link SnapshotInfo#problem()}.
     */
    public static SnapshotInfo inspect(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        SnapshotFormat format =
                isBinary(bytes) ? SnapshotFormat.BINARY : looksLikeJson(bytes) ? SnapshotFormat.JSON : null;
        try {
            Snapshot snapshot = decode(bytes);
            if (format == SnapshotFormat.BINARY) {
                Header header = header(bytes);
                return SnapshotInfo.good(format, VERSION, bytes.length, header.bodyLength, header.compressed, snapshot);
            }
            return SnapshotInfo.good(
                    format,
                    VERSION,
                    bytes.length,
                    SnapshotBody.encode(snapshot, bytes.length).size(),
                    false,
                    snapshot);
        } catch (CorruptSnapshotException e) {
            return SnapshotInfo.bad(format, bytes.length, e.getMessage());
        }
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static boolean isBinary(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return false;
    }

    private record Header(int bodyLength, int storedLength, boolean compressed) {}

    private static Header header(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new CorruptSnapshotException(
                    "truncated snapshot: " + bytes.length + " bytes, shorter than the " + HEADER + "-byte header");
        }
        int version = (short) SHORT.get(bytes, 8);
        if (version != VERSION) {
            throw new CorruptSnapshotException(
                    "unsupported snapshot format version " + version + " (this Colony reads " + VERSION + ")");
        }
        int flags = bytes[10];
        if ((flags & ~FLAG_LZ4) != 0 || bytes[11] != 0) {
            throw new CorruptSnapshotException("unknown snapshot flags " + flags);
        }
        int bodyLength = (int) INT.get(bytes, 12);
        int storedLength = (int) INT.get(bytes, 16);
        if (bodyLength < 0 || storedLength < 0) {
            throw new CorruptSnapshotException("invalid snapshot lengths " + bodyLength + " / " + storedLength);
        }
        if ((long) HEADER + storedLength != bytes.length) {
            throw new CorruptSnapshotException((bytes.length < (long) HEADER + storedLength ? "truncated" : "oversized")
                    + " snapshot: " + bytes.length + " bytes, the header says " + ((long) HEADER + storedLength));
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 20);
        crc.update(bytes, HEADER, storedLength);
        int expected = (int) INT.get(bytes, 20);
        if ((int) crc.getValue() != expected) {
            throw new CorruptSnapshotException(String.format(
                    "snapshot checksum mismatch: stored CRC32C %08x, computed %08x", expected, (int) crc.getValue()));
        }
        boolean compressed = (flags & FLAG_LZ4) != 0;
        if (!compressed && bodyLength != storedLength) {
            throw new CorruptSnapshotException(
                    "uncompressed snapshot with body length " + bodyLength + " but " + storedLength + " bytes stored");
        }
        return new Header(bodyLength, storedLength, compressed);
    }

    private static byte[] body(byte[] bytes, Header header) {
        if (!header.compressed) {
            return Arrays.copyOfRange(bytes, HEADER, HEADER + header.storedLength);
        }
        LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
        byte[] body = new byte[header.bodyLength];
        try {
            int n = decompressor.decompress(bytes, HEADER, header.storedLength, body, 0, header.bodyLength);
            if (n != header.bodyLength) {
                throw new CorruptSnapshotException("compressed snapshot body decompressed to " + n
                        + " bytes, the header says " + header.bodyLength);
            }
        } catch (LZ4Exception e) {
            throw new CorruptSnapshotException("compressed snapshot body does not decompress: " + e.getMessage());
        }
        return body;
    }
}
