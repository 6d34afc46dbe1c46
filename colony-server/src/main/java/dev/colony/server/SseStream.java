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
import java.util.function.Predicate;

/**
 * One server-sent-events connection: producers {@link #offer} frames without blocking into a bounded
 * buffer, and the request's own thread {@link #pump}s them to the socket in batches.
 *
 * <p>Coalescing (ADR 0056, paced by ADR 0078): a producer only appends to the buffer; it wakes the pump only
 * when the pump waits for a first frame, or when a lingering pump's buffer reaches half its capacity. A busy
 * pump (one that wrote a batch less than {@link #BUSY_NANOS} ago) lingers after each write for the server's
 * {@link SsePace} (1 ms while few streams are busy, up to 50 ms when a thousand are), unwoken, gathering
 * what comes meanwhile; then it writes the whole buffer with one flush (one chunk, one syscall). So the frames
 * of a busy stream go out many to a write, the server's writes stay near its budget however many streams are
 * busy, and a publisher pays no wake-up for a busy stream. A linger that gathered nothing ends in a plain wait:
 * the next frame is written at once. The pump goes on lingering only while lingering gathers more than one
 * frame: a stream whose client waits for each frame before it causes the next (publish, then await the echo)
 * would only be slowed, so after a linger that gathered one frame the pump writes each frame at once and tries
 * lingering again at most every {@link #PROBE_NANOS}. A quiet stream writes its first frame at once; a buffer
 * of one frame never lingers.
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
    /** A stream that wrote a batch less than this ago is busy: it may linger. */
    static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How often a busy stream whose last linger gathered nothing tries lingering again. */
    static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private record Frame(byte[] bytes, Event source) {}

    private final OutputStream out;
    private final int capacity;
    private final int urgent;
    private final Predicate<Event> filter;
    private final SsePace pace;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Frame> pending = new ArrayDeque<>(); // guarded by lock
    private long dropped; // guarded by lock
    private boolean closed; // guarded by lock
    private boolean waiting; // guarded by lock: the pump is parked on arrived, and nobody signalled it yet
    private boolean lingering; // guarded by lock: ... and gathers frames (woken only by half a buffer)
    private boolean counted; // confined to the pumping thread: counted busy in pace

    /** A stream paced on its own (it is the only stream its pace counts). */
    SseStream(OutputStream out, int capacity) {
        this(out, capacity, null, new SsePace());
    }

    /**
     * A stream whose frames from events {@code filter} (nullable: none) refuses are skipped, paced with the
     * other streams of {@code pace}.
     */
    SseStream(OutputStream out, int capacity, Predicate<Event> filter, SsePace pace) {
        this.filter = filter;
        this.pace = pace;
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
            if (waiting && (!lingering || pending.size() >= urgent)) {
                waiting = false; // one wake-up: until the pump runs, later frames need none (ADR 0078)
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

    /** Writes queued frames until the stream is closed, overflows, or {@code open} turns false. */
    void pump(BooleanSupplier open) throws IOException {
        try {
            pumpBatches(open);
        } finally {
            if (counted) {
                counted = false;
                pace.idle();
            }
        }
    }

    private void pumpBatches(BooleanSupplier open) throws IOException {
        out.flush();
        List<Frame> batch = new ArrayList<>();
        long lastBatch = System.nanoTime() - BUSY_NANOS;
        long nextProbe = lastBatch;
        boolean gathering = false; // the last batch held more than one frame
        while (open.getAsBoolean()) {
            long gap;
            boolean end;
            boolean linger;
            lock.lock();
            try {
                int got = awaitFrames(lastBatch, gathering || System.nanoTime() - nextProbe >= 0);
                linger = got == LINGERED;
                end = closed;
                gap = got == TIMED_OUT ? 0 : dropped;
                batch.addAll(pending);
                pending.clear();
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
            writeBatch(batch, gap);
            // frames that piled up, lingering or not, say the stream is busier than it writes: linger (next) time
            gathering = batch.size() > 1;
            if (linger) {
                nextProbe = System.nanoTime() + PROBE_NANOS;
            }
            batch.clear();
            if (end || gap > 0) {
                return;
            }
            lastBatch = System.nanoTime();
            if (!counted) {
                counted = true;
                pace.busy();
            }
        }
    }

    /** Writes the frames the filter accepts, then a gap event if {@code gap} frames were dropped, in one flush. */
    private void writeBatch(List<Frame> batch, long gap) throws IOException {
        for (Frame f : batch) {
            if (accepts(f.source())) {
                out.write(f.bytes());
            }
        }
        if (gap > 0) {
            out.write(frame(
                    null,
                    "gap",
                    Json.write(Json.obj(
                            "dropped", gap, "detail", "this connection fell behind; reconnect with Last-Event-ID"))));
        }
        out.flush();
    }

    private static final int TIMED_OUT = 0;
    private static final int AT_ONCE = 1;
    private static final int LINGERED = 2;

    /**
     * Under the lock. A busy stream (its last batch written less than {@link #BUSY_NANOS} ago) that
     * {@code mayLinger} first lingers until the pace since that batch is out, unwoken unless the buffer reaches
     * half its capacity or the stream closes or overflows ({@link #LINGERED}, possibly with nothing gathered).
     * Otherwise it waits, woken by the first frame, up to the keep-alive period ({@link #AT_ONCE}, or
     * {@link #TIMED_OUT} if none came); a stream that stays without frames for {@link #BUSY_NANOS} after its last
     * batch is counted idle in the pace. Returns without waiting when the stream is closed or overflowed.
     */
    private int awaitFrames(long lastBatch, boolean mayLinger) throws InterruptedException {
        long now = System.nanoTime();
        if (mayLinger && urgent > 1 && now - lastBatch < BUSY_NANOS) {
            long until = lastBatch + pace.nanos();
            lingering = true;
            try {
                while (until - now > 0 && pending.size() < urgent && !closed && dropped == 0) {
                    park(until - now);
                    now = System.nanoTime();
                }
            } finally {
                lingering = false;
            }
            if (!pending.isEmpty()) {
                return LINGERED;
            }
        }
        long keepalive = KEEPALIVE_NANOS;
        while (pending.isEmpty() && !closed && dropped == 0) {
            if (keepalive <= 0) {
                return TIMED_OUT;
            }
            long wait = keepalive;
            if (counted) {
                long idleIn = lastBatch + BUSY_NANOS - System.nanoTime();
                if (idleIn <= 0) {
                    counted = false;
                    pace.idle();
                } else {
                    wait = Math.min(wait, idleIn);
                }
            }
            keepalive -= wait - park(wait);
        }
        return AT_ONCE;
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
