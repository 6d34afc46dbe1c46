package dev.colony.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The write pace of one server's busy SSE streams (ADR 0078): how long a busy stream waits after a write
 * before its next one, so that the server's writes stay near a budget of {@link #writesPerSecond} however
 * many streams are busy.
 *
 * <p>What a fan-out costs is per write, not per event (ADR 0067): a flush is a chunk, a {@code writev}, the
 * client's wake-up and {@code read}, and two virtual-thread wake-ups, about 30 µs of CPU here, against well
 * under 1 µs to copy one more frame into a batch. So the pace grows with the number of busy streams
 * ({@code busy / writesPerSecond}), between {@link #MIN_NANOS} and {@link #MAX_NANOS}: a few busy streams
 * write within a millisecond as before (a client that publishes and awaits each echo is not slowed), 1,000
 * busy streams write every 50 ms each (20,000 writes a second), each write carrying what came meanwhile.
 *
 * <p>A stream is busy from its first write until it has written nothing for {@link SseStream#BUSY_NANOS};
 * each stream's pump counts itself in and out ({@link #busy}, {@link #idle}), always in pairs. Thread-safe: one
 * atomic counter, read by every pump once per write.
 */
final class SsePace {
    /** The shortest pace: a busy stream's linger before ADR 0078. */
    static final long MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The longest pace, whatever the number of busy streams. */
    static final long MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The server's write budget for busy streams, unless {@code colony.sse.writesPerSecond} says otherwise. */
    static final int WRITES_PER_SECOND = Integer.getInteger("colony.sse.writesPerSecond", 20_000);

    private final int writesPerSecond;
    private final long nanosPerBusyStream;
    private final AtomicInteger busy = new AtomicInteger();

    SsePace() {
        this(WRITES_PER_SECOND);
    }

    SsePace(int writesPerSecond) {
        if (writesPerSecond < 1) {
            throw new IllegalArgumentException("writesPerSecond must be at least 1, got " + writesPerSecond);
        }
        this.writesPerSecond = writesPerSecond;
        this.nanosPerBusyStream = TimeUnit.SECONDS.toNanos(1) / writesPerSecond;
    }

    int writesPerSecond() {
        return writesPerSecond;
    }

    /** A stream became busy (it wrote after being idle). */
    void busy() {
        busy.incrementAndGet();
    }

    /** A busy stream became idle, or ended. */
    void idle() {
        busy.decrementAndGet();
    }

    /** The streams busy now. */
    int busyStreams() {
        return busy.get();
    }

    /** How long a busy stream waits after a write before the next: the busy streams over the budget, bounded. */
    long nanos() {
        // plain read: a pace a few streams off is as good, and the count moves only when streams start or stop
        long pace = busy.get() * nanosPerBusyStream;
        return Math.clamp(pace, MIN_NANOS, MAX_NANOS);
    }
}
