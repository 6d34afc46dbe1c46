package dev.colony.server;

import dev.colony.bus.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One server-sent-events connection: producers {@link #offer} frames without blocking into a bounded
 * buffer, and the request's own thread {@link #pump}s them to the socket.
 *
 * <p>Overflow policy: when the buffer is full the frame is dropped and counted; the pump writes the frames
 * it holds (they precede the dropped ones), then an {@code event: gap} naming how many were dropped, and
 * ends the stream. The client reconnects with {@code Last-Event-ID} and resumes from the replay ring, or
 * gets {@code event: reset} if the ring no longer reaches back. A comment line every 15 s keeps idle
 * connections open through proxies and detects clients that left.
 *
 * <p>Filter: a stream may carry a predicate over the events its frames come from; it runs on the pumping thread
 * (the request's own virtual thread, where a WebAssembly filter's deadline interrupt is safe), and a frame whose
 * event it refuses is skipped. Frames without an event (ready, reset, gap) are never filtered.
 */
final class SseStream implements AutoCloseable {
    private static final Frame END = new Frame(null, "end", new byte[0], null);
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);

    private record Frame(String id, String event, byte[] data, Event source) {}

    private final OutputStream out;
    private final BlockingQueue<Frame> buffer;
    private final AtomicLong dropped = new AtomicLong();
    private final Predicate<Event> filter;
    private volatile boolean closed;

    SseStream(OutputStream out, int capacity) {
        this(out, capacity, null);
    }

    /** A stream whose frames from events {@code filter} (nullable: none) refuses are skipped. */
    SseStream(OutputStream out, int capacity, Predicate<Event> filter) {
        this.filter = filter;
        // frames go out in batches: a frame is flushed when the buffer holds nothing more, so a busy stream
        // writes many frames per chunk and syscall, and an idle one writes each at once
        this.out = new java.io.BufferedOutputStream(out, 16 * 1024);
        this.buffer = new ArrayBlockingQueue<>(capacity + 1); // +1: room for END
    }

    /** Queues a frame without blocking; false (and counted) if the buffer is full or the stream closed. */
    boolean offer(String id, String event, byte[] data) {
        return offer(id, event, data, null);
    }

    /** {@link #offer(String, String, byte[])} of a frame made from {@code source}, which the filter judges. */
    boolean offer(String id, String event, byte[] data, Event source) {
        if (closed
                || dropped.get() > 0
                || buffer.remainingCapacity() <= 1
                || !buffer.offer(new Frame(id, event, data, source))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Writes a frame now, on the pumping thread (for replays before the live part). */
    void write(String id, String event, byte[] data) throws IOException {
        write(id, event, data, null);
    }

    /** Writes a frame made from {@code source} now, unless the filter refuses it; on the pumping thread. */
    void write(String id, String event, byte[] data, Event source) throws IOException {
        Frame f = new Frame(id, event, data, source);
        if (accepts(f)) {
            frame(f);
            out.flush();
        }
    }

    private boolean accepts(Frame f) {
        return filter == null || f.source() == null || filter.test(f.source());
    }

    /** Writes queued frames until the stream is closed, overflows, or {@code open} turns false. */
    void pump(BooleanSupplier open) throws IOException {
        out.flush();
        while (!closed && open.getAsBoolean()) {
            Frame next;
            try {
                next = buffer.poll(KEEPALIVE_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next == null) {
                out.write(": keepalive\n\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                continue;
            }
            if (next == END) {
                return;
            }
            if (accepts(next)) {
                frame(next);
            }
            if (buffer.isEmpty()) {
                if (dropped.get() > 0) {
                    frame(new Frame(
                            null,
                            "gap",
                            Json.write(Json.obj(
                                    "dropped",
                                    dropped.get(),
                                    "detail",
                                    "this connection fell behind; reconnect with Last-Event-ID")),
                            null));
                    out.flush();
                    return;
                }
                out.flush();
            }
        }
    }

    /** Writes one frame with a single write: the sink below turns each write into a chunk (and often a syscall). */
    private void frame(Frame f) throws IOException {
        StringBuilder head = new StringBuilder(64);
        if (f.id() != null) {
            head.append("id: ").append(f.id()).append('\n');
        }
        head.append("event: ").append(f.event()).append("\ndata: ");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] whole = new byte[headBytes.length + f.data().length + 2];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        System.arraycopy(f.data(), 0, whole, headBytes.length, f.data().length);
        whole[whole.length - 2] = '\n';
        whole[whole.length - 1] = '\n';
        out.write(whole);
    }

    long dropped() {
        return dropped.get();
    }

    /** Ends the stream: the pump returns after the frames already written. Idempotent. */
    @Override
    public void close() {
        closed = true;
        buffer.offer(END);
    }
}
