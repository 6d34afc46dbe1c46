package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Events per second from node A to node B of the Redis event bus, in two JVMs, with a baseline from
 * {@code redis-benchmark} on the same server in the same run. Not a unit test: run it by hand (see
 * docs/benchmarks/redis.md, "Redis event bus").
 *
 * <pre>
 * java -cp CLASSPATH dev.colony.redis.RedisEventBusBenchmark [events] [publisherThreads] [pipelined|autoflush]
 * </pre>
 *
 * The parent starts a redis-server on a free loopback port, starts node B in a child JVM (subscribed to
 * {@code bench.>}, counting), publishes {@code events} events with 200-byte payloads from node A, and
 * reports the rate from the first publish to the child's report that it received every one of them
 * (the count is checked exactly). Then it runs {@code redis-benchmark -P 16 -n 200000 PUBLISH} with a
 * payload of the same size.
 */
public final class RedisEventBusBenchmark {
    private static final String PAYLOAD = "x".repeat(200);

    private RedisEventBusBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("receiver")) {
            receiver(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            return;
        }
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        boolean pipelined = args.length <= 2 || !args[2].equals("autoflush");
        try (RedisServer server = RedisServer.start()) {
            sender(server, events, threads, pipelined);
            baseline(server.port());
        }
    }

    private static void sender(RedisServer server, long events, int threads, boolean pipelined) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        RedisEventBusBenchmark.class.getName(),
                        "receiver",
                        Integer.toString(server.port()),
                        Long.toString(events))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String ready = lines.readLine();
        if (!"READY".equals(ready)) {
            throw new IllegalStateException("the receiver JVM said " + ready);
        }
        RedisEventBusSender.Limits limits = new RedisEventBusSender.Limits(
                RedisEventBusSender.Limits.DEFAULT.capacity(),
                RedisEventBusSender.Limits.DEFAULT.criticalWait(),
                RedisEventBusSender.Limits.DEFAULT.closeFlush(),
                pipelined);
        try (RedisLink link = RedisLink.open(server.target("bench"));
                RedisEventBus bus = RedisEventBus.open(link, EventBus.builder(), limits)) {
            Subject subject = Subject.of("bench.events");
            AtomicLong dropped = new AtomicLong();
            long start = System.nanoTime();
            List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long share = events / threads + (t < events % threads ? 1 : 0);
                publishers.add(Thread.ofPlatform().start(() -> {
                    for (long i = 0; i < share; i++) {
                        // when the outbound bound was reached the event was dropped (and counted): back off and
                        // publish it again, so that the receiver's count stays exact
                        while (bus.publish(subject, PAYLOAD).dropped() > 0) {
                            dropped.incrementAndGet();
                            LockSupport.parkNanos(200_000);
                        }
                    }
                }));
            }
            for (Thread publisher : publishers) {
                publisher.join();
            }
            long published = System.nanoTime() - start;
            String done = lines.readLine(); // "DONE <received> <dropped> <malformed>"
            long elapsed = System.nanoTime() - start;
            System.out.printf(
                    Locale.ROOT,
                    "colony bus A->B (%s, %d publisher threads): %d events in %.2f s = %.0f events/s"
                            + " (publish calls returned after %.2f s); receiver: %s; sender drops %d, wire %s%n",
                    pipelined ? "pipelined" : "autoflush",
                    threads,
                    events,
                    elapsed / 1e9,
                    events / (elapsed / 1e9),
                    published / 1e9,
                    done,
                    dropped.get(),
                    bus.wireStats());
        }
        child.waitFor(30, TimeUnit.SECONDS);
    }

    private static void receiver(int port, long events) throws Exception {
        try (RedisLink link = RedisLink.open(RedisTarget.of("redis://127.0.0.1:" + port, "bench"));
                RedisEventBus bus = RedisEventBus.open(link, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT)) {
            AtomicLong received = new AtomicLong();
            AtomicLong wrong = new AtomicLong();
            bus.subscribe(
                    SubjectPattern.of("bench.>"),
                    e -> {
                        if (!PAYLOAD.equals(e.payload())) {
                            wrong.incrementAndGet();
                        }
                        received.incrementAndGet();
                    },
                    SubscribeOptions.direct());
            System.out.println("READY");
            System.out.flush();
            // until every event arrived, or nothing arrived for 15 s (then the report shows what was lost where)
            long last = -1;
            long lastProgress = System.nanoTime();
            while (received.get() < events && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(15)) {
                if (received.get() != last) {
                    last = received.get();
                    lastProgress = System.nanoTime();
                }
                Thread.sleep(1);
            }
            System.out.println("DONE received " + received.get() + " wrong " + wrong.get() + " " + bus.wireStats());
            System.out.flush();
        }
    }

    private static void baseline(int port) throws Exception {
        Process benchmark = new ProcessBuilder(
                        "redis-benchmark",
                        "-p",
                        Integer.toString(port),
                        "-P",
                        "16",
                        "-n",
                        "200000",
                        "-q",
                        "PUBLISH",
                        "colony:{bench}:ev:bench.baseline",
                        PAYLOAD)
                .redirectErrorStream(true)
                .start();
        String output = new String(benchmark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        benchmark.waitFor(120, TimeUnit.SECONDS);
        System.out.println("redis-benchmark -P 16 -n 200000 PUBLISH (200-byte payload, no subscriber): "
                + output.lines().reduce((a, b) -> b).orElse("").strip());
    }
}
