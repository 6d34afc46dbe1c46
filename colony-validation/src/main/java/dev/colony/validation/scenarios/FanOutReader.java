package dev.colony.validation.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A light SSE reader of the {@code serve-fanout} scenario (ADR 0067, moved from colony-server's test harness by
 * ADR 0079): it reads the chunked body into one reused buffer and scans each frame's bytes for its event name
 * and the publisher's {@code "n":} index and {@code "t":} clock, building no string per message, so that a
 * thousand readers cost their JVM little. It reports every message frame, a {@code gap} or {@code reset} frame,
 * and the end of the stream; other events (the first, {@code ready}) and comments are skipped. One thread reads it; {@link #close} may come from another.
 */
final class FanOutReader implements AutoCloseable {
    /** What the reader reports, on its reading thread. */
    interface Sink {
        /** A message frame: the publisher's index {@code "n"} and nanoTime {@code "t"} in its data. */
        void message(long n, long sentNanos);

        /** A {@code gap} or {@code reset} frame: events were lost to this stream. */
        void broken(String event);

        /** The stream ended or failed; after this nothing more is reported. */
        void end();
    }

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] N = "\"n\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    /** Chunks read (one per server flush); read by another thread only after the sink reported. */
    long chunks;

    FanOutReader(int port, String path, String token) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                        + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = socket.getInputStream();
    }

    /**
     * Reads the response head and checks its status; the server attaches a stream before it sends the head
     * (SseStream), so after this the stream receives every event published.
     *
     * @throws IOException when the answer is not 200 or the connection closed
     */
    void awaitHead() throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n")) {
            if ((c = in.read()) < 0) {
                throw new IOException("the server closed the SSE connection; it answered: " + head);
            }
            head.append((char) c);
        }
        if (!head.toString().startsWith("HTTP/1.1 200")) {
            throw new IOException(
                    "the SSE subscription was refused: " + head.toString().strip());
        }
    }

    /** Reads the chunked body until the stream ends, reporting to {@code sink}; call after {@link #awaitHead}. */
    void read(Sink sink) {
        byte[] raw = new byte[16 * 1024];
        byte[] body = new byte[32 * 1024];
        int bodyLength = 0;
        int lineLength = 0; // bytes of the current chunk-size line, CR excluded
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
                        size = size * 16 + Character.digit(b, 16);
                        lineLength++;
                        continue;
                    }
                    if (lineLength > 0) { // a chunk-size line; an empty line ends the chunk before
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

    /** Reports the frame in {@code body[start, end)}, unless it is a comment (keep-alive). */
    private static void frame(byte[] body, int start, int end, Sink sink) {
        int line = start;
        while (line < end) {
            int eol = line;
            while (eol < end && body[eol] != '\n') {
                eol++;
            }
            if (body[line] == ':') {
                return;
            }
            if (startsWith(body, line, eol, EVENT)
                    && !Arrays.equals(body, line + EVENT.length, eol, MESSAGE, 0, MESSAGE.length)) {
                String event = new String(body, line + EVENT.length, eol - line - EVENT.length, StandardCharsets.UTF_8);
                if (event.equals("gap") || event.equals("reset")) {
                    sink.broken(event);
                }
                return; // another event (the stream's first, "ready") is no message
            }
            line = eol + 1;
        }
        sink.message(number(body, start, end, N), number(body, start, end, T));
    }

    /** The integer after {@code key} in the frame, or {@link Long#MIN_VALUE} when there is none. */
    private static long number(byte[] body, int start, int end, byte[] key) {
        for (int i = start; i + key.length <= end; i++) {
            if (startsWith(body, i, end, key)) {
                int j = i + key.length;
                boolean negative = j < end && body[j] == '-'; // nanoTime may be negative
                long v = 0;
                for (j += negative ? 1 : 0; j < end && body[j] >= '0' && body[j] <= '9'; j++) {
                    v = v * 10 + (body[j] - '0');
                }
                return negative ? -v : v;
            }
        }
        return Long.MIN_VALUE;
    }

    private static boolean startsWith(byte[] body, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && Arrays.equals(body, from, from + prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
