package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.alert.Alerts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * The dashboard's one SSE stream per page: {@code cards} (the overview's cards as HTML, swapped in by htmx),
 * {@code series} (the ten-minute chart as JSON, once a new second is sampled) and {@code changed} (the state's
 * revision moved: the tables fetch themselves again).
 *
 * <p>Throttled: a stream sends at most one round of events every {@value #PERIOD_MILLIS} ms (two a second),
 * however fast the swarm changes. Counting an account's agents and tasks is shared by its streams for one
 * period. At most {@code maxStreams} streams at once; one more is answered 503.
 */
final class Feed {
    static final long PERIOD_MILLIS = 500;
    static final int GAP_SECONDS = 5;
    private static final long REAUTH_NANOS = 5_000_000_000L;

    private record Cached(long atNanos, Counts counts) {}

    /** Re-checks a stream's session: false once its token was revoked or the session ended. */
    interface StillSignedIn {
        boolean check();
    }

    private final Colony colony;
    private final Figures figures;
    private final Alerts alerts;
    private final Semaphore slots;
    private final Map<String, Cached> counts = new ConcurrentHashMap<>();

    Feed(Colony colony, Figures figures, Alerts alerts, int maxStreams) {
        this.colony = colony;
        this.figures = figures;
        this.alerts = alerts;
        this.slots = new Semaphore(maxStreams);
    }

    /** The latest sample of the figures. */
    Figures.Now now() {
        return figures.now();
    }

    boolean tryOpen() {
        return slots.tryAcquire();
    }

    /** Streams until the client leaves, {@code running} turns false or the session ends; then frees the slot. */
    void stream(Viewer viewer, OutputStream out, BooleanSupplier running, StillSignedIn signedIn) throws IOException {
        try {
            out.write(": colony dashboard feed\nretry: 2000\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long lastRevision = -1;
            long lastSecond = -1;
            long lastAuth = System.nanoTime();
            while (running.getAsBoolean()) {
                long revision = colony.state().revision();
                if (revision != lastRevision) {
                    send(out, "changed", Long.toString(revision));
                    lastRevision = revision;
                }
                send(out, "cards", OverviewPage.cards(counts(viewer), figures.now(), alerts));
                List<Figures.Point> series = figures.series();
                long second = series.isEmpty() ? 0 : series.getLast().epochSecond();
                if (second != lastSecond) {
                    send(out, "series", seriesJson(series));
                    lastSecond = second;
                }
                out.flush();
                if (System.nanoTime() - lastAuth > REAUTH_NANOS) {
                    if (!signedIn.check()) {
                        send(out, "signedout", "the session ended");
                        out.flush();
                        return;
                    }
                    lastAuth = System.nanoTime();
                }
                try {
                    Thread.sleep(PERIOD_MILLIS); // the throttle: one round of events per period
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            slots.release();
        }
    }

    /** The account's counts, shared by its streams for one period. */
    Counts counts(Viewer viewer) {
        long now = System.nanoTime();
        Cached cached = counts.compute(
                viewer.principal().account(),
                (account, c) -> c != null && now - c.atNanos() < PERIOD_MILLIS * 900_000L
                        ? c
                        : new Cached(now, Counts.of(colony, viewer)));
        return cached.counts();
    }

    static void send(OutputStream out, String event, String data) throws IOException {
        StringBuilder b = new StringBuilder(data.length() + 32)
                .append("event: ")
                .append(event)
                .append('\n');
        for (String line : data.split("\n", -1)) {
            b.append("data: ").append(line).append('\n');
        }
        out.write(b.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The series as uPlot wants it: columns of seconds, events/s, messages/s, completed/s. Where more than
     * {@value #GAP_SECONDS} seconds have no point (the server was down), a row of nulls breaks the lines, so the
     * chart shows the gap instead of a line across it.
     */
    static String seriesJson(List<Figures.Point> points) {
        StringBuilder[] cols = {new StringBuilder(), new StringBuilder(), new StringBuilder(), new StringBuilder()};
        long previous = Long.MAX_VALUE;
        for (Figures.Point p : points) {
            if (p.epochSecond() - previous > GAP_SECONDS) {
                cols[0].append(',').append(previous + 1);
                for (int i = 1; i < cols.length; i++) {
                    cols[i].append(",null");
                }
            }
            previous = p.epochSecond();
            String sep = cols[0].isEmpty() ? "" : ",";
            cols[0].append(sep).append(p.epochSecond());
            cols[1].append(sep).append(num(p.eventsPerSecond()));
            cols[2].append(sep).append(num(p.messagesPerSecond()));
            cols[3].append(sep).append(num(p.completedPerSecond()));
        }
        return "[[" + cols[0] + "],[" + cols[1] + "],[" + cols[2] + "],[" + cols[3] + "]]";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
