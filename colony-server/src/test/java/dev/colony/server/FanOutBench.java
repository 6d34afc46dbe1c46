package dev.colony.server;

import dev.colony.Colony;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * [rate] [seconds] [light|strings|child]}; {@code child} runs the readers and the publisher in a child JVM ({@link FanOutReaders})
 * so that the process CPU it prints is the server's alone (ADR 0078).
 */
public final class FanOutBench {
    private FanOutBench() {}

    /** CPU time of the whole process (server, publisher and readers share it), user and system. */
    static long processCpuNanos() {
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
    static final class Subscriber implements FanOutReader.Sink {
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

    /** Publishes {@code events} events {@code {"t": nanoTime}} on {@code fan.x} at {@code rate} a second, over HTTP. */
    static void publish(int port, int events, int rate) throws java.io.IOException {
        long start = System.nanoTime();
        try (RawHttp publisher = new RawHttp(port, "admin")) {
            for (int i = 0; i < events; i++) {
                long due = start + i * (1_000_000_000L / rate);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                publisher.send("POST", "/v1/events/fan.x", "{\"t\":" + System.nanoTime() + "}");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int events = rate * seconds;
        // light (default): FanOutReader scans bytes; strings: SseClient builds strings per frame (ADR 0056's runs);
        // child: FanOutReaders and the publisher in a child JVM, so the process CPU below is the server's alone
        String readers = args.length > 3 ? args[3] : "light";
        if (!List.of("light", "strings", "child").contains(readers)) {
            throw new IllegalArgumentException("readers must be light, strings or child, got \"" + readers + "\"");
        }
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
            Process child = null;
            BufferedReader childOut = null;
            if (readers.equals("child")) {
                child = new ProcessBuilder(
                                ProcessHandle.current().info().command().orElseThrow(),
                                "-Xmx1g",
                                "-cp",
                                System.getProperty("java.class.path"),
                                FanOutReaders.class.getName(),
                                Integer.toString(server.port()),
                                Integer.toString(subscribers),
                                Integer.toString(events),
                                Integer.toString(rate),
                                "300")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line = childOut.readLine();
                if (!"connected".equals(line)) {
                    throw new IllegalStateException("the child readers did not connect: " + line);
                }
            }
            for (int i = 0; child == null && i < subscribers; i++) {
                Subscriber sub = new Subscriber(events, done);
                subs.add(sub);
                if (readers.equals("light")) {
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
            double publishSeconds;
            if (child != null) { // the child publishes too, so that this process runs the server alone
                child.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
                child.getOutputStream().flush();
                String line = childOut.readLine(); // published <nanos>
                if (line == null || !line.startsWith("published ")) {
                    throw new IllegalStateException("the child did not publish: " + line);
                }
                publishSeconds = Long.parseLong(line.substring("published ".length())) / 1e9;
            } else {
                publish(server.port(), events, rate);
                publishSeconds = (System.nanoTime() - start) / 1e9;
            }
            long received;
            long gaps;
            long disorders;
            long chunks;
            boolean all;
            double readerCpuSeconds = -1;
            Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 2);
            double p50;
            double p99;
            double max;
            if (child != null) {
                String line = childOut.readLine(); // result received gaps disorders chunks cpu p50 p99 max all
                if (line == null || !line.startsWith("result ")) {
                    throw new IllegalStateException("the child readers answered no result: " + line);
                }
                String[] r = line.split(" ");
                received = Long.parseLong(r[1]);
                gaps = Long.parseLong(r[2]);
                disorders = Long.parseLong(r[3]);
                chunks = Long.parseLong(r[4]);
                readerCpuSeconds = Long.parseLong(r[5]) / 1e9;
                p50 = Long.parseLong(r[6]);
                p99 = Long.parseLong(r[7]);
                max = Long.parseLong(r[8]);
                all = Boolean.parseBoolean(r[9]);
                child.waitFor(60, TimeUnit.SECONDS);
            } else {
                all = done.await(120, TimeUnit.SECONDS);
                chunks = chunks(subs) - chunksBefore;
                received = subs.stream().mapToLong(sub -> sub.received).sum();
                gaps = subs.stream().mapToLong(sub -> sub.gaps).sum();
                disorders = subs.stream().mapToLong(sub -> sub.disorders).sum();
                subs.forEach(sub -> total.add(sub.latency));
                p50 = total.getValueAtPercentile(50);
                p99 = total.getValueAtPercentile(99);
                max = total.getMaxValue();
            }
            double deliverSeconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "fan-out: %d subscribers (%s readers), %d events at %d/s (published in %.2f s): %d of %d delivered%s, %d gaps, %d out of order;"
                            + " publish-to-read p50=%.2f ms p99=%.2f ms max=%.1f ms%n",
                    subscribers,
                    readers,
                    events,
                    rate,
                    publishSeconds,
                    received,
                    (long) events * subscribers,
                    all ? "" : " (timed out)",
                    gaps,
                    disorders,
                    p50 / 1e6,
                    p99 / 1e6,
                    max / 1e6);
            System.out.printf(
                    Locale.ROOT,
                    "fan-out: all delivered after %.2f s; %s CPU %.2f s (%.2f µs per delivered event);"
                            + " %d server writes (chunks), %.1f events per write%n",
                    deliverSeconds,
                    child != null ? "server process" : "process (server, publisher and readers)",
                    cpuSeconds,
                    cpuSeconds * 1e6 / Math.max(1, received),
                    chunks,
                    received / (double) Math.max(1, chunks));
            if (child != null) {
                System.out.printf(
                        Locale.ROOT,
                        "fan-out: client process (readers and publisher) CPU %.2f s (%.2f µs per delivered event)%n",
                        readerCpuSeconds,
                        readerCpuSeconds * 1e6 / Math.max(1, received));
            }
            for (AutoCloseable c : clients) {
                c.close();
            }
        }
    }
}
