package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At-least-once messages per second between two messenger nodes over Redis, ~500-byte messages, every
 * message received, decoded and checked (its sequence number seen exactly once), beside
 * {@code redis-benchmark} appending the same size to a stream in the same run. Not a test: run by hand
 * (docs/benchmarks/redis.md, "Redis messenger").
 *
 * <pre>
 * java -cp ... dev.colony.redis.RedisMessengerBenchmark both PORT [messages] [senders]
 * java -cp ... dev.colony.redis.RedisMessengerBenchmark receive PORT [messages]   (one JVM)
 * java -cp ... dev.colony.redis.RedisMessengerBenchmark send PORT [messages] [senders] (another JVM)
 * </pre>
 */
public final class RedisMessengerBenchmark {
    private static final AgentId SINK = AgentId.of("sink");
    private static final String SWARM = "bench";

    /** The payload: a sequence number and filler, ~500 bytes as CloudEvents JSON. */
    public record Item(int seq, String filler) {}

    private RedisMessengerBenchmark() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int senders = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        RedisTarget target = RedisTarget.of("redis://127.0.0.1:" + port, SWARM);
        switch (mode) {
            case "receive" -> receive(target, messages, null);
            case "send" -> send(target, messages, senders);
            case "both" -> {
                CountDownLatch ready = new CountDownLatch(1);
                Thread receiver = Thread.ofPlatform().start(() -> {
                    try {
                        receive(target, messages, ready);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ready.await();
                send(target, messages, senders);
                receiver.join();
            }
            default -> throw new IllegalArgumentException("mode must be both, send or receive, got " + mode);
        }
        if (!mode.equals("receive")) {
            redisBenchmark(port);
        }
    }

    private static void receive(RedisTarget target, int messages, CountDownLatch ready) throws Exception {
        try (RedisLink link = RedisLink.open(target)) {
            RedisMessenger node = RedisMessenger.open(link, Messenger.builder(), RedisMessengerOptions.defaults());
            BitSet seen = new BitSet(messages);
            AtomicInteger received = new AtomicInteger();
            AtomicInteger wrong = new AtomicInteger();
            AtomicLong first = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            node.open(SINK, InboxOptions.defaults().withCapacity(65_536).withPayloadType(Item.class))
                    .attach(m -> {
                        if (m.payload(Item.class).seq() == -1) {
                            return; // the sender's probe for the inbox
                        }
                        if (received.get() == 0) {
                            first.set(System.nanoTime());
                        }
                        Item item = m.payload(Item.class);
                        if (item.seq() < 0
                                || item.seq() >= messages
                                || seen.get(item.seq())
                                || item.filler().length() != 380) {
                            wrong.incrementAndGet();
                        } else {
                            seen.set(item.seq()); // one inbox thread: no race on the bit set
                        }
                        if (received.incrementAndGet() == messages) {
                            done.countDown();
                        }
                    });
            System.out.println("receiver: node " + node.nodeId() + " waiting for " + messages + " messages");
            if (ready != null) {
                ready.countDown();
            }
            done.await(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - first.get()) / 1e9;
            System.out.printf(
                    "receiver: %d received, %d distinct and correct, %d wrong, %d duplicates suppressed, first to last"
                            + " %.3f s = %.0f messages/s%n",
                    received.get(),
                    seen.cardinality(),
                    wrong.get(),
                    node.duplicatesSuppressed(),
                    seconds,
                    received.get() / seconds);
            node.close();
        }
    }

    private static void send(RedisTarget target, int messages, int senders) throws Exception {
        try (RedisLink link = RedisLink.open(target)) {
            RedisMessenger node = RedisMessenger.open(link, Messenger.builder(), RedisMessengerOptions.defaults());
            String filler = "x".repeat(380);
            Envelope sample = Envelope.of(AgentId.of("source"), SINK, "bench.item", new Item(0, filler));
            System.out.println("sender: message of " + node.codec().encode(sample).length
                    + " bytes as CloudEvents JSON, " + senders + " sending threads");
            while (node.send(sample.withPayload(new Item(-1, filler))) == SendOutcome.NO_SUCH_AGENT) {
                Thread.sleep(50); // the receiver is not there yet
            }
            AtomicInteger notDelivered = new AtomicInteger();
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int from = s;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int seq = from; seq < messages; seq += senders) {
                        Envelope message = Envelope.of(AgentId.of("source"), SINK, "bench.item", new Item(seq, filler));
                        if (node.send(message) != SendOutcome.DELIVERED) {
                            notDelivered.incrementAndGet();
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "sender: %d sent (%d not delivered) in %.3f s = %.0f messages/s%n",
                    messages, notDelivered.get(), seconds, messages / seconds);
            node.close();
        }
    }

    private static void redisBenchmark(int port) throws Exception {
        String value = "v".repeat(500);
        List<String> command = List.of(
                "redis-benchmark",
                "-p",
                Integer.toString(port),
                "-P",
                "16",
                "-n",
                "200000",
                "-q",
                "XADD",
                "s",
                "*",
                "f",
                value);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        process.waitFor();
        String text = out.toString();
        int cut = text.lastIndexOf('\r');
        System.out.println("redis-benchmark -P 16 -n 200000 XADD s '*' f <500 B>: "
                + (cut >= 0 ? text.substring(cut + 1) : text).strip().replace(value, "<500 B>"));
        System.out.println("environment: "
                + Map.of(
                        "cpus",
                        Runtime.getRuntime().availableProcessors(),
                        "jdk",
                        Runtime.version().toString()));
    }
}
