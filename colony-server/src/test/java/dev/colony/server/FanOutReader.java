package dev.colony.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A light SSE reader for {@link FanOutBench} (ADR 0067): it reads the chunked body into one reused buffer and
 * scans each frame's bytes for its id, event name and the publisher's {@code "t":} clock, building no string
 * per frame. It reports what {@link SseClient} would: every message frame with its id's sequence number (the
 * sink checks they rise), a {@code gap} frame, and the end of the stream. One thread reads it.
 */
final class FanOutReader implements AutoCloseable {
    /** What the reader reports, on its reading thread. */
    interface Sink {
        /** A message frame: its id's sequence number and the publisher's nanoTime in its data (-1 if none). */
        void message(long seq, long sentNanos);

        /** A {@code gap} frame (then the server ends the stream). */
        void gap();

        /** The stream ended or failed; after this nothing more is reported. */
        void end();
    }

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GAP = "gap".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    /** Chunks read (one per server flush); read by another thread only after the sink's end or last message. */
    long chunks;

    FanOutReader(URI base, String path, String token) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\nAuthorization: Bearer "
                        + token + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = socket.getInputStream();
    }

    /** Reads until the stream ends, reporting to {@code sink}; call on the reading thread. */
    void read(Sink sink) {
        byte[] raw = new byte[16 * 1024];
        byte[] body = new byte[32 * 1024];
        int bodyLength = 0;
        boolean head = true; // still in the response head, which ends with an empty line
        int lineLength = 0; // bytes of the current head or chunk-size line, CR excluded
        long size = 0; // the chunk-size line's value so far
        long left = 0; // bytes of the current chunk still to copy
        try {
            int n;
            while ((n = in.read(raw)) > 0) {
                int i = 0;
                while (i < n) {
                    if (left > 0) {
                        int take = (int) Math.min(left, n - i);
                        if (bodyLength + take > body.length) {
                            body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + take));
                        }
                        System.arraycopy(raw, i, body, bodyLength, take);
                        bodyLength += take;
                        left -= take;
                        i += take;
                        continue;
                    }
                    byte b = raw[i++];
                    if (b == '\r') {
                        continue;
                    }
                    if (b != '\n') {
                        if (!head) {
                            size = size * 16 + Character.digit(b, 16);
                        }
                        lineLength++;
                        continue;
                    }
                    if (head) {
                        head = lineLength > 0;
                    } else if (lineLength > 0) { // a chunk-size line; an empty line ends the chunk before
                        if (size == 0) {
                            sink.end();
                            return;
                        }
                        chunks++;
                        left = size;
                    }
                    lineLength = 0;
                    size = 0;
                }
                int start = 0;
                int end;
                while ((end = frameEnd(body, start, bodyLength)) >= 0) {
                    frame(body, start, end, sink);
                    start = end + 2;
                }
                System.arraycopy(body, start, body, 0, bodyLength - start);
                bodyLength -= start;
            }
        } catch (IOException | RuntimeException e) {
            // the server closed the connection, or this reader did
        }
        sink.end();
    }

    private static int frameEnd(byte[] body, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (body[i] == '\n' && body[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reports the frame in {@code body[start, end)}, unless it is a comment or neither a message nor a gap. */
    private static void frame(byte[] body, int start, int end, Sink sink) {
        long seq = -1;
        boolean message = true; // a frame without an event line is a message
        boolean gap = false;
        int line = start;
        while (line < end) {
            int eol = line;
            while (eol < end && body[eol] != '\n') {
                eol++;
            }
            if (startsWith(body, line, eol, ID)) {
                seq = 0;
                for (int i = eol - 1, scale = 1; i >= line + ID.length && body[i] != '-'; i--, scale *= 10) {
                    seq += (long) (body[i] - '0') * scale;
                }
            } else if (startsWith(body, line, eol, EVENT)) {
                message = equals(body, line + EVENT.length, eol, MESSAGE);
                gap = equals(body, line + EVENT.length, eol, GAP);
            } else if (body[line] == ':') {
                return; // a comment (keep-alive)
            }
            line = eol + 1;
        }
        if (gap) {
            sink.gap();
        } else if (message) {
            sink.message(seq, sent(body, start, end));
        }
    }

    private static long sent(byte[] body, int start, int end) {
        for (int i = start; i + T.length <= end; i++) {
            if (startsWith(body, i, end, T)) {
                int j = i + T.length;
                boolean negative = j < end && body[j] == '-'; // nanoTime may be negative
                long t = 0;
                for (j += negative ? 1 : 0; j < end && body[j] >= '0' && body[j] <= '9'; j++) {
                    t = t * 10 + (body[j] - '0');
                }
                return negative ? -t : t;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] body, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && Arrays.equals(body, from, from + prefix.length, prefix, 0, prefix.length);
    }

    private static boolean equals(byte[] body, int from, int to, byte[] word) {
        return Arrays.equals(body, from, to, word, 0, word.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
