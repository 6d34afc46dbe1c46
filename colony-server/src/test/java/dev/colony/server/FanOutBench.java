package dev.colony.server;

import dev.colony.Colony;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * SSE fan-out: N subscribers on {@code /v1/events?pattern=fan.>}, one publisher over HTTP at R events/s for
 * S seconds; counts what every subscriber received (nothing may be lost: a gap is reported) and the
 * publish-to-read latency. Run: {@code java -cp <test classpath> dev.colony.server.FanOutBench [subscribers]
 * [rate] [seconds]}.
 */
public final class FanOutBench {
    private FanOutBench() {}

    /** CPU time of the whole process (server, publisher and readers share it), user and system. */
    private static long processCpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toNanos)
                .orElse(0L);
    }

    /**
     * One subscriber's checks, on its reading thread: counts every message, records its latency from the
     * publisher's clock, and counts ids that do not rise (per-stream order) and gaps; done when it has every event
     * or its stream ended.
     */
    private static final class Subscriber implements FanOutReader.Sink {
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 2);
        private final int events;
        private final CountDownLatch done;
        FanOutReader reader; // null when an SseClient reads
        // written by the reading thread, read by main after done's countDown (or the final close)
        long received;
        long gaps;
        long disorders;
        private long lastSeq = -1;
        private boolean counted;

        Subscriber(int events, CountDownLatch done) {
            this.events = events;
            this.done = done;
        }

        @Override
        public void message(long seq, long sentNanos) {
            latency.recordValue(Math.max(0, System.nanoTime() - sentNanos));
            if (seq <= lastSeq) {
                disorders++;
            }
            lastSeq = seq;
            if (++received == events) {
                finish();
            }
        }

        @Override
        public void gap() {
            gaps++;
            finish();
        }

        @Override
        public void end() {
            finish();
        }

        private void finish() {
            if (!counted) {
                counted = true;
                done.countDown();
            }
        }
    }

    private static long chunks(List<Subscriber> subs) {
        long light = subs.stream()
                .mapToLong(sub -> sub.reader == null ? 0 : sub.reader.chunks)
                .sum();
        return light + SseClient.CHUNKS.sum();
    }

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int events = rate * seconds;
        // light (default): FanOutReader scans bytes; strings: SseClient builds strings per frame (ADR 0056's runs)
        boolean light = !(args.length > 3 && args[3].equals("strings"));
        try (Colony colony = Colony.embedded();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(new TestGuard())
                        .build()
                        .start()) {
            CountDownLatch done = new CountDownLatch(subscribers);
            List<Subscriber> subs = new ArrayList<>();
            List<AutoCloseable> clients = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                Subscriber sub = new Subscriber(events, done);
                subs.add(sub);
                if (light) {
                    FanOutReader reader = new FanOutReader(server.uri(), "/v1/events?pattern=fan.>", "admin");
                    clients.add(reader);
                    sub.reader = reader;
                    Thread.ofVirtual().start(() -> reader.read(sub));
                } else {
                    SseClient client = new SseClient(server.uri(), "/v1/events?pattern=fan.>", "admin", null, 0);
                    clients.add(client);
                    client.startReading(frame -> {
                        if (frame.event().equals("message")) {
                            String data = frame.data();
                            String id = frame.id();
                            sub.message(
                                    Long.parseLong(id.substring(id.lastIndexOf('-') + 1)),
                                    Long.parseLong(data.substring(data.indexOf("\"t\":") + 4, data.length() - 2)));
                        } else if (frame.event().equals("gap")) {
                            sub.gap();
                        } else if (frame == SseClient.END) {
                            sub.end();
                        }
                    });
                }
            }
            while (server.streams() < subscribers) {
                Thread.sleep(10);
            }
            long chunksBefore = chunks(subs);
            long cpuBefore = processCpuNanos();
            long start = System.nanoTime();
            try (RawHttp publisher = new RawHttp(server.port(), "admin")) {
                for (int i = 0; i < events; i++) {
                    long due = start + i * (1_000_000_000L / rate);
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                    publisher.send("POST", "/v1/events/fan.x", "{\"t\":" + System.nanoTime() + "}");
                }
            }
            double publishSeconds = (System.nanoTime() - start) / 1e9;
            boolean all = done.await(120, TimeUnit.SECONDS);
            double deliverSeconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
            long chunks = chunks(subs) - chunksBefore;
            long received = subs.stream().mapToLong(sub -> sub.received).sum();
            long gaps = subs.stream().mapToLong(sub -> sub.gaps).sum();
            long disorders = subs.stream().mapToLong(sub -> sub.disorders).sum();
            Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 2);
            subs.forEach(sub -> total.add(sub.latency));
            System.out.printf(
                    Locale.ROOT,
                    "fan-out: %d subscribers, %d events at %d/s (published in %.2f s): %d of %d delivered%s, %d gaps, %d out of order;"
                            + " publish-to-read p50=%.2f ms p99=%.2f ms max=%.1f ms%n",
                    subscribers,
                    events,
                    rate,
                    publishSeconds,
                    received,
                    (long) events * subscribers,
                    all ? "" : " (timed out)",
                    gaps,
                    disorders,
                    total.getValueAtPercentile(50) / 1e6,
                    total.getValueAtPercentile(99) / 1e6,
                    total.getMaxValue() / 1e6);
            System.out.printf(
                    Locale.ROOT,
                    "fan-out: all delivered after %.2f s; process CPU %.2f s (%.2f µs per delivered event);"
                            + " %d server writes (chunks), %.1f events per write%n",
                    deliverSeconds,
                    cpuSeconds,
                    cpuSeconds * 1e6 / Math.max(1, received),
                    chunks,
                    received / (double) Math.max(1, chunks));
            for (AutoCloseable c : clients) {
                c.close();
            }
        }
    }
}
