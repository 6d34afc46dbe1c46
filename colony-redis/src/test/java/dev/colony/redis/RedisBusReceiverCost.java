package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What a receiving node's dispatcher thread pays per event (ADR 0075), by ThreadMXBean CPU time: node A publishes
 * {@code events} events of 200 B on 8 subjects from 2 threads; node B subscribes to all of them, node C to a
 * subject nobody publishes. Not a unit test: run it by hand.
 *
 * <pre>
 * java -cp CLASSPATH dev.colony.redis.RedisBusReceiverCost [events] [node|subject]
 * </pre>
 *
 * Prints one JSON line: the busChannels setting, events, and the CPU µs per event of B's and C's dispatcher
 * threads (C's stays 0 on subject channels: Redis never sends it the events).
 */
public final class RedisBusReceiverCost {
    private static final String PAYLOAD = "x".repeat(200);

    private RedisBusReceiverCost() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        String channels = args.length > 1 ? args[1] : "node";
        RedisSettings settings = RedisSettings.from(Map.of("busChannels", channels));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (RedisServer server = RedisServer.start();
                RedisLink la = RedisLink.open(server.target("cost"), settings);
                RedisLink lb = RedisLink.open(server.target("cost"), settings);
                RedisLink lc = RedisLink.open(server.target("cost"), settings);
                RedisEventBus a = RedisEventBus.open(la, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT);
                RedisEventBus b = RedisEventBus.open(lb, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT);
                RedisEventBus c = RedisEventBus.open(lc, EventBus.builder(), RedisEventBusSender.Limits.DEFAULT)) {
            AtomicLong got = new AtomicLong();
            b.subscribe(SubjectPattern.of("bench.>"), e -> got.incrementAndGet(), SubscribeOptions.direct());
            c.subscribe(SubjectPattern.of("nothing.here"), e -> {}, SubscribeOptions.direct());
            long[] before = {dispatcherCpu(cpu, b), dispatcherCpu(cpu, c)};
            List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int first = t;
                publishers.add(Thread.ofPlatform().start(() -> {
                    for (int i = first; i < events; i += 2) {
                        while (a.publish("bench.e" + (i & 7), PAYLOAD).dropped() > 0) {
                            LockSupport.parkNanos(100_000); // the outbound buffer was full: this event again
                        }
                    }
                }));
            }
            for (Thread p : publishers) {
                p.join();
            }
            long wantC = channels.equals("node") ? events : 0;
            long deadline = System.nanoTime() + 600_000_000_000L;
            while ((got.get() < events || c.wireStats().received() < wantC) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            double perB = (dispatcherCpu(cpu, b) - before[0]) / 1000.0 / events;
            double perC = (dispatcherCpu(cpu, c) - before[1]) / 1000.0 / events;
            System.out.println(String.format(
                    Locale.ROOT,
                    "{\"busChannels\":\"%s\",\"events\":%d,\"receivedB\":%d,\"receivedC\":%d,\"unmatchedC\":%d,"
                            + "\"dispatcherCpuUsPerEventB\":%.3f,\"dispatcherCpuUsPerEventC\":%.3f}",
                    channels,
                    events,
                    got.get(),
                    c.wireStats().received(),
                    c.wireStats().unmatched(),
                    perB,
                    perC));
        }
    }

    private static long dispatcherCpu(ThreadMXBean cpu, RedisEventBus bus) {
        return cpu.getThreadCpuTime(bus.receiverThread().threadId());
    }
}
