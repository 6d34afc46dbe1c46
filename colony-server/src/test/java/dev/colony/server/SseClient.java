package dev.colony.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An SSE client over a plain socket, so a test controls when it reads (a small receive buffer and no
 * reading make a slow consumer): sends the GET, and once {@link #startReading} runs, parses the chunked
 * body into frames.
 */
final class SseClient implements AutoCloseable {
    /** One event: its id (or null), event name and data. */
    record Frame(String id, String event, String data) {}

    static final Frame END = new Frame(null, "<end>", "");

    /** Chunks read by every client of this JVM: one per server flush (FanOutBench reports writes per event). */
    static final java.util.concurrent.atomic.LongAdder CHUNKS = new java.util.concurrent.atomic.LongAdder();

    private final Socket socket;
    private final InputStream in;
    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private volatile java.util.function.Consumer<Frame> sink = frames::add;
    final int status;

    SseClient(URI base, String path, String token, String lastEventId, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        OutputStream out = socket.getOutputStream();
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\nAuthorization: Bearer "
                + token + "\r\nAccept: text/event-stream\r\n"
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // buffered, as every real SSE client reads: unbuffered, each byte of a chunk's size line was a read
        // syscall, which made this client (1,000 of them in FanOutBench) cost more than the server (ADR 0056)
        in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        while (!line().isEmpty()) {
            // headers: the body is chunked (Jetty streams it)
        }
    }

    /** Reads in the background, handing each frame to {@code consumer} (on the reading thread) instead of queueing it. */
    SseClient startReading(java.util.function.Consumer<Frame> consumer) {
        sink = consumer;
        return startReading();
    }

    SseClient startReading() {
        Thread.ofVirtual().start(this::read);
        return this;
    }

    /** The next frame, waiting up to 20 s; {@link #END} when the stream ended; null on timeout. */
    Frame next() throws InterruptedException {
        return frames.poll(20, TimeUnit.SECONDS);
    }

    /** The next frame other than keepalives and the opening {@code ready}. */
    Frame nextEvent() throws InterruptedException {
        Frame f = next();
        while (f != null && (f.event().equals("ready") || f.event().equals("keepalive"))) {
            f = next();
        }
        return f;
    }

    static Duration generous() {
        return Duration.ofSeconds(20);
    }

    private void read() {
        try {
            StringBuilder pending = new StringBuilder();
            while (true) {
                int size = Integer.parseInt(line().strip(), 16);
                if (size == 0) {
                    break;
                }
                CHUNKS.increment();
                pending.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                int end;
                while ((end = pending.indexOf("\n\n")) >= 0) {
                    frame(pending.substring(0, end));
                    pending.delete(0, end + 2);
                }
                line(); // Jetty sends a chunk's closing CRLF with the next chunk, so read it after the frames
            }
        } catch (IOException | RuntimeException e) {
            // the server closed the connection, or this client did
        }
        sink.accept(END);
    }

    private void frame(String text) {
        String id = null;
        String event = "message";
        StringBuilder data = new StringBuilder();
        for (String l : text.split("\n")) {
            if (l.startsWith("id: ")) {
                id = l.substring(4);
            } else if (l.startsWith("event: ")) {
                event = l.substring(7);
            } else if (l.startsWith("data: ")) {
                data.append(l.substring(6));
            }
        }
        if (!text.startsWith(":")) {
            sink.accept(new Frame(id, event, data.toString()));
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                bytes.write(c);
            }
        }
        if (c == -1 && bytes.size() == 0) {
            throw new IOException("end of stream");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
