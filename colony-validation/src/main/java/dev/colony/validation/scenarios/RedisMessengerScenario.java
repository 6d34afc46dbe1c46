package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.Colony;
import dev.colony.bus.OverflowPolicy;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.SendOutcome;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * {@code redis-messenger}: two nodes of one swarm over Redis streams (at least once). Node B opens an inbox;
 * node A sends N envelopes of ~500 bytes from {@value #SENDERS} virtual threads; an outcome other than
 * DELIVERED (a full inbox) is retried after a pause. Every message must be handled exactly once, with the
 * id it was sent with.
 */
final class RedisMessengerScenario implements Scenario {
    static final int PAYLOAD_BYTES = 500;
    static final int SENDERS = 16;
    static final int INBOX_CAPACITY = 16_384;
    static final ScenarioResult.Target TARGET = new ScenarioResult.Target("throughput_per_sec", 50_000);

    private final RedisFixture fixture;
    private final RedisBench redis;

    RedisMessengerScenario(RedisFixture fixture) {
        this.fixture = fixture;
        this.redis = fixture.redis();
    }

    @Override
    public String name() {
        return "redis-messenger";
    }

    @Override
    public String description() {
        return "~500 B envelopes from node A (16 virtual threads) to an inbox on node B over Redis streams, each"
                + " handled exactly once; baseline redis-benchmark XADD";
    }

    @Override
    public int defaultWarmup() {
        return 1;
    }

    @Override
    public int defaultIterations() {
        return 3;
    }

    /** The figures under {@code details}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Details(
            String swarm,
            int messagesPerIteration,
            int payloadBytes,
            int senderThreads,
            String inbox,
            String mode,
            String latencyBasis,
            @JsonUnwrapped ThroughputSpread spread,
            long sendRetries,
            String retryPolicy,
            long duplicates,
            long wrongIds,
            long iterationsTimedOut,
            String keysDeleted,
            String baseline,
            String baselineCommand) {}

    private static final AgentId SENDER = AgentId.of("bench-a");
    private static final AgentId RECIPIENT = AgentId.of("bench-b");

    /** Node B's inbox handler: counts each message of the current iteration once, with the id it was sent with. */
    private static final class Receiver {
        final ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
        final AtomicReference<AtomicIntegerArray> seen = new AtomicReference<>();
        final AtomicReference<AtomicReferenceArray<String>> ids = new AtomicReference<>();
        final AtomicInteger iteration = new AtomicInteger();
        final LongAdder good = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder wrongId = new LongAdder();
        final int n;

        Receiver(int n) {
            this.n = n;
        }

        void start(int it) {
            seen.set(new AtomicIntegerArray(n));
            ids.set(new AtomicReferenceArray<>(n));
            good.reset();
            latency.reset();
            iteration.set(it);
        }

        void handle(Envelope message) {
            long now = System.nanoTime();
            if (!(message.payload() instanceof String text) || text.length() != PAYLOAD_BYTES) {
                return;
            }
            String[] parts = text.split(":", 4);
            int it = Integer.parseInt(parts[0]);
            int seq = Integer.parseInt(parts[1]);
            if (it != iteration.get() || seq < 0 || seq >= n) {
                return;
            }
            if (!message.id().equals(ids.get().get(seq))) {
                wrongId.increment();
            } else if (seen.get().incrementAndGet(seq) == 1) {
                latency.recordValue(Math.max(0, now - Long.parseLong(parts[2])));
                good.increment();
            } else {
                duplicates.increment();
            }
        }
    }

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        int n = redis.size(20_000, 5_000);
        Colony a = fixture.a();
        Receiver receiver = new Receiver(n);
        LongAdder retries = new LongAdder();
        long[] timedOut = new long[1];
        InboxOptions options = InboxOptions.defaults()
                .withPayloadType(String.class)
                .withCapacity(INBOX_CAPACITY)
                .withOverflow(OverflowPolicy.FAIL);
        Measurement m;
        try (Inbox inbox = fixture.b().messenger().open(RECIPIENT, options)) {
            inbox.attach(receiver::handle);
            m = Loop.measure(settings, "redis-messenger", n, it -> {
                receiver.start(it);
                long start = System.nanoTime();
                sendAll(a, it, n, receiver, retries);
                boolean all = RedisBench.await(() -> receiver.good.sum() >= n, 120);
                long elapsed = System.nanoTime() - start;
                timedOut[0] += all ? 0 : 1;
                settings.progress(
                        "redis-messenger: iteration %d: %d/%d messages in %.3f s",
                        it + 1, receiver.good.sum(), n, elapsed / 1e9);
                return Loop.Tally.of(elapsed, receiver.good.sum(), receiver.latency.copy());
            });
        }
        return result(n, m, receiver, retries.sum(), timedOut[0]);
    }

    /** The result: the figures, the same-run redis-benchmark baseline, and whether every message was clean. */
    private ScenarioResult result(int n, Measurement m, Receiver receiver, long retries, long timedOut) {
        String key = RedisBench.prefix(fixture.swarm()) + "rb-stream";
        String command = redis.benchmarkCommand(n, "XADD " + key + " MAXLEN ~ 100000 * m <500 B>");
        var baseline = redis.baseline(
                "redis-benchmark XADD",
                "redis-benchmark's own count of XADD requests of a 500-byte field per second (" + command
                        + ", 50 clients): one command per request, no Colony work, no consumer group, no reader,"
                        + " nothing checked",
                m.iterations(),
                n,
                m.throughput(),
                "XADD",
                key,
                "MAXLEN",
                "~",
                "100000",
                "*",
                "m",
                "x".repeat(PAYLOAD_BYTES));
        Details details = new Details(
                fixture.swarm(),
                n,
                PAYLOAD_BYTES,
                SENDERS,
                "capacity " + INBOX_CAPACITY + ", overflow FAIL, payload type String",
                "node A's messenger sends, node B's inbox handles and acknowledges (at least once); both"
                        + " nodes in this JVM, each with its own Redis connections",
                "send call on A to the start of B's handler, every message (one JVM, one clock)",
                m.spread(),
                retries,
                "an outcome other than DELIVERED (MAILBOX_FULL) is retried after 1 ms",
                receiver.duplicates.sum(),
                receiver.wrongId.sum(),
                timedOut,
                fixture.keysDeleted(),
                baseline.isEmpty() ? RedisBench.NO_BASELINE : null,
                baseline.isEmpty() ? null : command);
        boolean clean = receiver.duplicates.sum() == 0 && receiver.wrongId.sum() == 0;
        return ScenarioResult.of(
                        name(), m, new ScenarioResult.Verified(m.expected(), m.observed()), TARGET, clean, details)
                .with(baseline.orElse(null));
    }

    /** Node A sends messages {@code 0..n-1} of iteration {@code it} from its sender virtual threads. */
    private static void sendAll(Colony a, int it, int n, Receiver receiver, LongAdder retries)
            throws InterruptedException {
        Thread[] senders = new Thread[SENDERS];
        for (int s = 0; s < SENDERS; s++) {
            int first = s;
            senders[s] = Thread.ofVirtual().start(() -> {
                for (int seq = first; seq < n; seq += SENDERS) {
                    String head = it + ":" + seq + ":";
                    while (true) {
                        String payload = RedisBench.padded(head + System.nanoTime() + ":", PAYLOAD_BYTES);
                        Envelope envelope = Envelope.of(SENDER, RECIPIENT, "bench", payload);
                        receiver.ids.get().set(seq, envelope.id());
                        if (a.messenger().send(envelope) == SendOutcome.DELIVERED) {
                            break;
                        }
                        retries.increment();
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            });
        }
        for (Thread t : senders) {
            t.join();
        }
    }
}
