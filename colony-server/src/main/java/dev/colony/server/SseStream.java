package dev.colony.server;

import dev.colony.bus.Event;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * One server-sent-events connection: producers {@link #offer} frames without blocking into a bounded
 * buffer, and the request's own thread {@link #pump}s them to the socket in batches.
 *
 * <p>Pacing (ADR 0067, replacing ADR 0056's linger): a producer only appends to the buffer; it wakes the pump
 * only when the pump waits for the first frame, or when a pacing pump's buffer reaches half its capacity. After
 * each write the pump waits out its stream's pace ({@link #pace}: nothing while the server has fewer than
 * {@link #PACED_FROM} streams, then {@link #PACE_PER_STREAM_NANOS} per stream up to {@link #MAX_PACE_NANOS}),
 * then writes everything that came meanwhile with one flush (one chunk, one syscall), or, if nothing came,
 * writes the next frame the moment it comes. So a stream writes at most once per pace, the server's writes per
 * second stay near {@code 1 / PACE_PER_STREAM_NANOS} however many streams a busy subject fans out to, and the
 * publisher pays no wake-up per stream per event while a stream paces; a frame that comes after a quiet spell
 * goes out at once, and a client that publishes and awaits its echo waits at most one pace for it (none on a
 * server with few streams).
 *
 * <p>Overflow policy: when the buffer is full the frame is dropped and counted, and every later frame too;
 * the pump writes the frames it holds (they precede the dropped ones), then an {@code event: gap} naming how
 * many were dropped, and ends the stream. The client reconnects with {@code Last-Event-ID} and resumes from
 * the replay ring, or gets {@code event: reset} if the ring no longer reaches back. A comment line every 15 s
 * keeps idle connections open through proxies and detects clients that left.
 *
 * <p>Filter: a stream may carry a predicate over the events its frames come from; it runs on the pumping thread
 * (the request's own virtual thread, where a WebAssembly filter's deadline interrupt is safe), and a frame whose
 * event it refuses is skipped. Frames without an event (ready, reset, gap) are never filtered.
 *
 * <p>Thread-safety: any thread may offer and close; one thread pumps and writes. The buffer, the drop count and
 * the closed flag are guarded by one lock, held only to append or to take the whole buffer.
 */
final class SseStream implements AutoCloseable {
    /** Below this many streams on the server, a stream writes every frame as soon as its pump can. */
    static final int PACED_FROM = 100;
    /** A stream's pace grows by this per stream on the server: the server then writes about 100,000 times a second. */
    static final long PACE_PER_STREAM_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("colony.sse.pacePerStreamMicros", 10)); // TODO(fanout17): constant once measured
    /** The longest a stream waits between two writes (the most a frame waits for its batch). */
    static final long MAX_PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private record Frame(byte[] bytes, Event source) {}

    private final OutputStream out;
    private final int capacity;
    private final int urgent;
    private final Predicate<Event> filter;
    private final IntSupplier streams;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Frame> pending = new ArrayDeque<>(); // guarded by lock
    private long dropped; // guarded by lock
    private boolean closed; // guarded by lock
    private boolean waiting; // guarded by lock: the pump is parked on arrived
    private boolean pacing; // guarded by lock: ... and waits out its pace, not for the first frame

    /** An unpaced stream: it writes every frame as soon as its pump can. */
    SseStream(OutputStream out, int capacity) {
        this(out, capacity, null, () -> 1);
    }

    /**
     * A stream whose frames from events {@code filter} (nullable: none) refuses are skipped, paced by how many
     * streams the server has now ({@code streams}, read once per write).
     */
    SseStream(OutputStream out, int capacity, Predicate<Event> filter, IntSupplier streams) {
        this.filter = filter;
        this.streams = streams;
        this.out = new BufferedOutputStream(out, 16 * 1024);
        this.capacity = capacity;
        this.urgent = Math.max(1, capacity / 2);
    }

    /** The bytes of one frame: its id line (if any), event line, data line and the blank line ending it. */
    static byte[] frame(String id, String event, byte[] data) {
        StringBuilder head = new StringBuilder(64);
        if (id != null) {
            head.append("id: ").append(id).append('\n');
        }
        head.append("event: ").append(event).append("\ndata: ");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] whole = new byte[headBytes.length + data.length + 2];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        System.arraycopy(data, 0, whole, headBytes.length, data.length);
        whole[whole.length - 2] = '\n';
        whole[whole.length - 1] = '\n';
        return whole;
    }

    /** Queues a frame without blocking; false (and counted) if the buffer is full or the stream closed. */
    boolean offer(String id, String event, byte[] data) {
        return offer(frame(id, event, data), null);
    }

    /**
     * Queues a frame's bytes ({@link #frame}, shared by every stream it goes to) made from {@code source}
     * (nullable), which the filter judges; without blocking, false (and counted) if the buffer is full, has
     * overflowed before, or the stream is closed.
     */
    boolean offer(byte[] frame, Event source) {
        lock.lock();
        try {
            if (closed || dropped > 0 || pending.size() >= capacity) {
                dropped++;
                return false;
            }
            pending.addLast(new Frame(frame, source));
            if (waiting && (!pacing || pending.size() >= urgent)) {
                arrived.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Writes a frame now, on the pumping thread (for replays before the live part). */
    void write(String id, String event, byte[] data) throws IOException {
        write(id, event, data, null);
    }

    /** Writes a frame made from {@code source} now, unless the filter refuses it; on the pumping thread. */
    void write(String id, String event, byte[] data, Event source) throws IOException {
        if (accepts(source)) {
            out.write(frame(id, event, data));
            out.flush();
        }
    }

    private boolean accepts(Event source) {
        return filter == null || source == null || filter.test(source);
    }

    /** The least time between two writes of one of {@code streams} streams: see the class comment. */
    static long pace(int streams) {
        return streams < PACED_FROM ? 0 : Math.min(MAX_PACE_NANOS, streams * PACE_PER_STREAM_NANOS);
    }

    /** Writes queued frames until the stream is closed, overflows, or {@code open} turns false. */
    void pump(BooleanSupplier open) throws IOException {
        out.flush();
        List<Frame> batch = new ArrayList<>();
        long lastWrite = System.nanoTime() - MAX_PACE_NANOS;
        while (open.getAsBoolean()) {
            long gap;
            boolean end;
            lock.lock();
            try {
                if (!awaitFrames(lastWrite + pace(streams.getAsInt()))) {
                    end = closed;
                    gap = 0;
                } else {
                    batch.addAll(pending);
                    pending.clear();
                    end = closed;
                    gap = dropped;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty() && !end && gap == 0) {
                out.write(KEEPALIVE);
                out.flush();
                continue;
            }
            for (Frame f : batch) {
                if (accepts(f.source())) {
                    out.write(f.bytes());
                }
            }
            batch.clear();
            if (gap > 0) {
                out.write(frame(
                        null,
                        "gap",
                        Json.write(Json.obj(
                                "dropped",
                                gap,
                                "detail",
                                "this connection fell behind; reconnect with Last-Event-ID"))));
            }
            out.flush();
            if (end || gap > 0) {
                return;
            }
            lastWrite = System.nanoTime();
        }
    }

    /**
     * Under the lock: waits until {@code due} (the last write plus the pace) unless half the buffer fills first,
     * then, if nothing came, up to the keep-alive period for the first frame (false if none came). Returns
     * without waiting when the stream is closed or overflowed.
     */
    private boolean awaitFrames(long due) throws InterruptedException {
        pacing = true;
        try {
            long left;
            while ((left = due - System.nanoTime()) > 0 && pending.size() < urgent && !closed && dropped == 0) {
                park(left);
            }
        } finally {
            pacing = false;
        }
        long keepalive = KEEPALIVE_NANOS;
        while (pending.isEmpty() && !closed && dropped == 0) {
            if (keepalive <= 0) {
                return false;
            }
            keepalive = park(keepalive);
        }
        return true;
    }

    private long park(long nanos) throws InterruptedException {
        waiting = true;
        try {
            return arrived.awaitNanos(nanos);
        } finally {
            waiting = false;
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream: the pump writes the frames queued before, then returns. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }
}
