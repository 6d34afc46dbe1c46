package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a full BLOCK inbox costs the sender (ADR 0070): one thread {@code sendAsync}s {@code messages} into
 * an inbox of capacity {@code capacity} on another node whose handler counts them; prints messages per
 * second, the sending JVM's CPU per message, and the SEND script calls Redis ran per message (INFO
 * commandstats), as JSON. Not a test: run by hand against a running redis-server, with either jar first on
 * the class path (the API it uses is the same before and after).
 *
 * <pre>
 * java -cp colony.jar:test-classes dev.colony.redis.RedisSendBlockBenchmark PORT [messages] [capacity]
 * </pre>
 */
public final class RedisSendBlockBenchmark {
    private RedisSendBlockBenchmark() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int capacity = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String swarm = "block" + System.nanoTime();
        RedisTarget target = RedisTarget.of("redis://127.0.0.1:" + port, swarm);
        AgentId sink = AgentId.of("sink");
        try (RedisLink receiving = RedisLink.open(target);
                RedisLink sending = RedisLink.open(target);
                Messenger receiver = RedisMessenger.open(receiving, Messenger.builder());
                Messenger sender = RedisMessenger.open(sending, Messenger.builder());
                RedisLinkConnection<String, String> admin = sending.connectStrings()) {
            CountDownLatch all = new CountDownLatch(messages);
            AtomicInteger seen = new AtomicInteger();
            receiver.open(sink, InboxOptions.defaults().withCapacity(capacity)).attach(m -> {
                seen.incrementAndGet();
                all.countDown();
            });
            admin.sync().configResetstat();
            long cpu0 = processCpuNanos();
            long start = System.nanoTime();
            List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>(messages);
            for (int i = 0; i < messages; i++) {
                outcomes.add(sender.sendAsync(Envelope.of(AgentId.of("source"), sink, "bench", i)));
            }
            int delivered = 0;
            for (CompletableFuture<SendOutcome> outcome : outcomes) {
                delivered += outcome.join() == SendOutcome.DELIVERED ? 1 : 0;
            }
            all.await();
            long nanos = System.nanoTime() - start;
            long cpu = processCpuNanos() - cpu0;
            long calls = sendCalls(admin.sync().info("commandstats"));
            System.out.printf(
                    "{\"messages\":%d,\"capacity\":%d,\"delivered\":%d,\"handled\":%d,\"msgsPerSecond\":%.0f,"
                            + "\"processCpuMicrosPerMessage\":%.1f,\"scriptCallsPerMessage\":%.2f}%n",
                    messages,
                    capacity,
                    delivered,
                    seen.get(),
                    messages / (nanos / 1e9),
                    cpu / 1e3 / messages,
                    (double) calls / messages);
        }
    }

    /** This process's user and system CPU time from /proc/self/stat (clock ticks of 10 ms). */
    private static long processCpuNanos() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

    /** The EVALSHA and EVAL calls in an INFO commandstats answer. */
    private static long sendCalls(String info) {
        long calls = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                String field = line.substring(line.indexOf("calls=") + 6);
                calls += Long.parseLong(field.substring(0, field.indexOf(',')));
            }
        }
        return calls;
    }
}
