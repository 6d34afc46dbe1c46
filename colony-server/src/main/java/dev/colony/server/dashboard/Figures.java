package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.bus.Event;
import dev.colony.bus.Subscription;
import dev.colony.metrics.MetricsSnapshot;
import dev.colony.metrics.Reading;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's live figures, sampled once a second: events/s and messages/s (from the colony's metrics),
 * task completions/s and the claim→complete latency (from the tasks' announcements), and the delivery latency
 * of the bus. Keeps the last ten minutes as a time series.
 *
 * <p>Bounded: the series keeps {@value #SERIES_POINTS} points; claim times are kept for at most
 * {@value #MAX_OPEN_CLAIMS} open claims (a claim past that is not measured: the oldest is dropped), and the
 * latency window holds the last {@value #WINDOW} claim→complete durations. Thread-safe.
 *
 * <p>With a {@link SeriesFile}, the series starts from the points the file kept (a restart shows the minutes
 * before it) and every sample is written to it; without one it starts empty.
 */
final class Figures implements AutoCloseable {
    static final int SERIES_POINTS = 600;
    static final int MAX_OPEN_CLAIMS = 100_000;
    static final int WINDOW = 4096;

    /** One second of the series. */
    record Point(long epochSecond, double eventsPerSecond, double messagesPerSecond, double completedPerSecond) {}

    /** The latest sample. */
    record Now(
            double eventsPerSecond,
            double messagesPerSecond,
            double completedPerSecond,
            long claimToCompleteP50Nanos,
            long claimToCompleteP99Nanos,
            long deliveryP50Nanos,
            long deliveryP99Nanos) {
        static final Now ZERO = new Now(0, 0, 0, 0, 0, 0, 0);
    }

    private final Colony colony;
    private final Subscription subscription;
    private final SeriesFile history;
    private final ArrayDeque<Point> series = new ArrayDeque<>();
    private final Map<String, Long> openClaims = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_OPEN_CLAIMS;
        }
    };
    private final long[] window = new long[WINDOW];
    private int windowSize;
    private int windowNext;
    private long completed;
    private long lastCompleted;
    private long lastPublished = -1;
    private long lastSent = -1;
    private long lastSampleNanos;
    private volatile Now now = Now.ZERO;
    private final Thread sampler;
    private volatile boolean closed;

    Figures(Colony colony, SeriesFile history) {
        this.colony = colony;
        this.history = history;
        this.series.addAll(history.loaded());
        this.subscription = colony.bus().subscribe("colony.task.*.*", this::onTask);
        this.lastSampleNanos = System.nanoTime();
        this.sampler = Thread.ofVirtual().name("colony-dashboard-figures").start(this::run);
    }

    private synchronized void onTask(Event event) {
        String subject = event.subject().value();
        int dot = subject.lastIndexOf('.');
        String id = subject.substring("colony.task.".length(), dot);
        switch (subject.substring(dot + 1)) {
            case "claimed" -> openClaims.put(id, System.nanoTime());
            case "completed" -> {
                completed++;
                Long at = openClaims.remove(id);
                if (at != null) {
                    window[windowNext] = System.nanoTime() - at;
                    windowNext = (windowNext + 1) % WINDOW;
                    windowSize = Math.min(WINDOW, windowSize + 1);
                }
            }
            case "failed", "expired", "dead", "cancelled" -> openClaims.remove(id);
            default -> {}
        }
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(1000); // the sampling period itself, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
            try {
                sample();
            } catch (RuntimeException e) {
                System.getLogger("dev.colony.server.dashboard")
                        .log(System.Logger.Level.WARNING, "dashboard sample failed: " + e.getMessage());
            }
        }
    }

    /** Takes one sample now (the sampler calls it every second). */
    void sample() {
        MetricsSnapshot m = colony.metrics().snapshot();
        long published = count(m, "colony.bus.published");
        long sent = count(m, "colony.messenger.sent");
        long[] delivery = latency(m, "colony.bus.async.latency");
        long t = System.nanoTime();
        synchronized (this) {
            double seconds = Math.max(1e-3, (t - lastSampleNanos) / 1e9);
            double events = lastPublished < 0 ? 0 : (published - lastPublished) / seconds;
            double messages = lastSent < 0 ? 0 : (sent - lastSent) / seconds;
            double done = (completed - lastCompleted) / seconds;
            lastPublished = published;
            lastSent = sent;
            lastCompleted = completed;
            lastSampleNanos = t;
            long[] sorted = Arrays.copyOf(window, windowSize);
            Arrays.sort(sorted);
            now = new Now(events, messages, done, pct(sorted, 50), pct(sorted, 99), delivery[0], delivery[1]);
            Point point = new Point(System.currentTimeMillis() / 1000, events, messages, done);
            add(point);
            // under the lock, so a point anyone has seen in the series is in the file too (one small write a second)
            history.write(point);
        }
    }

    /** Appends a point, keeping the series ascending and within the last {@value #SERIES_POINTS} seconds. */
    private void add(Point point) {
        // the clock moved back or two samples fell in one second: the newer point wins
        while (!series.isEmpty() && series.getLast().epochSecond() >= point.epochSecond()) {
            series.removeLast();
        }
        series.addLast(point);
        while (series.size() > SERIES_POINTS
                || series.getFirst().epochSecond() <= point.epochSecond() - SERIES_POINTS) {
            series.removeFirst();
        }
    }

    Now now() {
        return now;
    }

    synchronized List<Point> series() {
        return List.copyOf(series);
    }

    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long count(MetricsSnapshot m, String name) {
        return m.get(name)
                .map(r -> r instanceof Reading.Count c ? c.value() : 0L)
                .orElse(0L);
    }

    private static long[] latency(MetricsSnapshot m, String name) {
        return m.get(name)
                .map(r -> r instanceof Reading.Latency l
                        ? new long[] {l.latency().p50(), l.latency().p99()}
                        : new long[2])
                .orElse(new long[2]);
    }

    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
        subscription.close();
        history.close();
    }
}
