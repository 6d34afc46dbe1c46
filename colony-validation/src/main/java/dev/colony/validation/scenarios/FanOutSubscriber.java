package dev.colony.validation.scenarios;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * One SSE subscriber's checks in the fan-out clients' JVM ({@link FanOutClients}), on its reading thread. The
 * publisher numbers its events 0, 1, 2... across the run; a message counts only when its number is above every
 * number this subscriber counted before, so a repeated event, or one that comes after a later one, is never
 * counted, and a lost one is simply missing: each lost, repeated or reordered event costs exactly one count, and
 * each number that is not the next expected is counted as {@code wrong} too. Each counted message
 * records its latency from the publisher's clock (same process, same {@link System#nanoTime}).
 *
 * <p>Thread-safety: the counters and the histogram are written by the reading thread only and read by the
 * clients' main thread after the round's latch (the countDown/await pair orders them), when every subscriber has
 * its round's last event or its stream ended. Whoever takes the round out of {@code round} (getAndSet or
 * compareAndSet to null) counts it down, so each round is counted down exactly once per subscriber, also when
 * the stream ends while the round starts: {@code start} publishes the round, then reads {@code ended}; {@code end}
 * sets {@code ended}, then takes the round; one of the two sees the other's write.
 */
final class FanOutSubscriber implements FanOutReader.Sink {
    final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(600), 2);
    /** For a test of the check: this subscriber ignores the message of this number, as if it never came. */
    private final long ignore;

    long counted;
    long wrong;
    long broken;
    private long next;
    private volatile boolean ended;
    private final AtomicReference<Round> round = new AtomicReference<>();

    /** What one round waits for: every subscriber at its {@code last} number (or ended). */
    record Round(long last, CountDownLatch done) {}

    FanOutSubscriber(long ignore) {
        this.ignore = ignore;
    }

    /** Starts a round on the main thread: counted down at once when the stream has ended. */
    void start(Round r) {
        round.set(r);
        if (ended && round.compareAndSet(r, null)) {
            r.done().countDown();
        }
    }

    @Override
    public void message(long n, long sentNanos) {
        if (n == ignore) {
            return;
        }
        if (n < next) { // repeated, or older than one already counted
            wrong++;
        } else {
            if (n > next) { // the events from next to n - 1 did not come (yet): never counted
                wrong++;
            }
            counted++;
            latency.recordValue(Math.max(0, System.nanoTime() - sentNanos));
            next = n + 1;
        }
        Round r = round.get();
        if (r != null && n >= r.last() && round.compareAndSet(r, null)) {
            r.done().countDown();
        }
    }

    @Override
    public void broken(String event) {
        broken++;
    }

    @Override
    public void end() {
        ended = true;
        Round r = round.getAndSet(null);
        if (r != null) {
            r.done().countDown();
        }
    }

    boolean ended() {
        return ended;
    }
}
