package dev.colony.server;

import dev.colony.Colony;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int events = rate * seconds;
        try (Colony colony = Colony.embedded();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(new TestGuard())
                        .build()
                        .start()) {
            AtomicLong received = new AtomicLong();
            AtomicLong gaps = new AtomicLong();
            CountDownLatch done = new CountDownLatch(subscribers);
            List<Histogram> latencies = new ArrayList<>();
            List<SseClient> clients = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 2);
                latencies.add(h);
                long[] mine = {0};
                SseClient client = new SseClient(server.uri(), "/v1/events?pattern=fan.>", "admin", null, 0);
                clients.add(client);
                client.startReading(frame -> {
                    if (frame.event().equals("message")) {
                        long sent = Long.parseLong(frame.data()
                                .substring(
                                        frame.data().indexOf("\"t\":") + 4,
                                        frame.data().length() - 2));
                        h.recordValue(Math.max(0, System.nanoTime() - sent));
                        received.incrementAndGet();
                        if (++mine[0] == events) {
                            done.countDown();
                        }
                    } else if (frame.event().equals("gap") || frame == SseClient.END) {
                        if (frame.event().equals("gap")) {
                            gaps.incrementAndGet();
                        }
                        if (mine[0] < events) {
                            done.countDown();
                        }
                    }
                });
            }
            while (server.streams() < subscribers) {
                Thread.sleep(10);
            }
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
            Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 2);
            latencies.forEach(total::add);
            System.out.printf(
                    Locale.ROOT,
                    "fan-out: %d subscribers, %d events at %d/s (published in %.2f s): %d of %d delivered%s, %d gaps;"
                            + " publish-to-read p50=%.2f ms p99=%.2f ms max=%.1f ms%n",
                    subscribers,
                    events,
                    rate,
                    publishSeconds,
                    received.get(),
                    (long) events * subscribers,
                    all ? "" : " (timed out)",
                    gaps.get(),
                    total.getValueAtPercentile(50) / 1e6,
                    total.getValueAtPercentile(99) / 1e6,
                    total.getMaxValue() / 1e6);
            for (SseClient c : clients) {
                c.close();
            }
        }
    }
}
