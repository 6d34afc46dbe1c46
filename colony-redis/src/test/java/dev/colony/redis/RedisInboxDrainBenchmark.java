package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How fast one inbox drains a deep stream (ADR 0071): the stream is filled with M messages of ~500 bytes
 * first (pipelined XADDs of encoded envelopes), then the inbox is attached and timed until its handler saw all
 * M; this JVM's CPU time over the drain (reader, inbox thread, Lettuce's I/O threads: node B's work, not
 * Redis's) per message. Each round runs {@code readAhead} 64 (one batch: the flow before ADR 0071) and 256 in
 * one JVM, in turns (64 first in even rounds, 256 first in odd ones), so both see the same load and warm-up.
 * Not a test: run by hand.
 *
 * <pre>
 * java -cp colony.jar:test-classes dev.colony.redis.RedisInboxDrainBenchmark PORT [messages] [rounds]
 * </pre>
 */
public final class RedisInboxDrainBenchmark {
    private static final AgentId SINK = AgentId.of("drain");
    private static final AgentId FROM = AgentId.of("filler");

    private RedisInboxDrainBenchmark() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        RedisTarget target = RedisTarget.of("redis://127.0.0.1:" + port, "drainbench");
        try (RedisLink link = RedisLink.open(target)) {
            for (int round = 0; round < rounds; round++) {
                for (int readAhead : round % 2 == 0 ? new int[] {64, 256} : new int[] {256, 64}) {
                    RedisMessengerOptions options =
                            RedisMessengerOptions.defaults().withReadAhead(readAhead);
                    try (RedisMessenger node = RedisMessenger.open(link, Messenger.builder(), options)) {
                        Inbox inbox = node.open(SINK, InboxOptions.defaults().withCapacity(65_536));
                        fill(link, node, messages);
                        AtomicInteger seen = new AtomicInteger();
                        CountDownLatch all = new CountDownLatch(1);
                        long cpu0 = cpuNanos();
                        long t0 = System.nanoTime();
                        inbox.attach(m -> {
                            if (seen.incrementAndGet() == messages) {
                                all.countDown();
                            }
                        });
                        if (!all.await(300, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("drained only " + seen.get() + " of " + messages);
                        }
                        long wall = System.nanoTime() - t0;
                        long cpu = cpuNanos() - cpu0;
                        System.out.printf(
                                "{\"round\":%d,\"readAhead\":%d,\"messages\":%d,\"msgs_per_s\":%.0f,"
                                        + "\"cpu_us_per_msg\":%.2f,\"load\":%s}%n",
                                round, readAhead, seen.get(), messages / (wall / 1e9), cpu / 1e3 / messages, load());
                        inbox.close();
                    }
                }
            }
        }
    }

    /** This process's CPU time so far (all threads), in nanoseconds. */
    private static long cpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(Duration::toNanos)
                .orElse(0L);
    }

    /** The one-minute load average (Linux), or -1. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "-1";
        }
    }

    /** Appends {@code n} encoded envelopes of ~500 bytes to the inbox's stream, pipelined, and waits for all. */
    private static void fill(RedisLink link, RedisMessenger node, int n) throws Exception {
        String filler = "x".repeat(440);
        try (RedisLinkConnection<String, byte[]> raw = link.connectBytes()) {
            var async = raw.async();
            List<io.lettuce.core.RedisFuture<String>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] bytes = node.codec().encode(Envelope.of(FROM, SINK, "bench", i + ":" + filler));
                pending.add(async.xadd(node.stream(SINK), Map.of("m", bytes, "p", new byte[] {'4'})));
                if (pending.size() == 1_000) {
                    pending.getLast().get(60, TimeUnit.SECONDS);
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                pending.getLast().get(60, TimeUnit.SECONDS);
            }
        }
    }
}
