package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code redis-messenger}: two nodes of one swarm over Redis streams (at least once). Node B opens an inbox;
 * node A sends N envelopes of ~500 bytes from {@value #SENDERS} virtual threads, each keeping
 * {@value #WINDOW} messages in flight with {@code sendAsync}; an outcome other than DELIVERED (a full inbox) is
 * retried after a pause. Every message must be handled exactly once, with the
 * id it was sent with (which its payload carries, so node B checks it in its own JVM). Node B runs in a child
 * JVM, or in this one with {@link RedisNodes#ONE_JVM} (ADR 0058).
 */
final class RedisMessengerScenario implements Scenario {
    static final int PAYLOAD_BYTES = 500;
    static final int SENDERS = 16;
    /** Messages each sender keeps in flight ({@code sendAsync}, ADR 0068): 16 x 64 = the node's 1,024 places. */
    static final int WINDOW = 64;

    static final int INBOX_CAPACITY = 16_384;
    static final ScenarioResult.Target TARGET = new ScenarioResult.Target("throughput_per_sec", 50_000);
    static final int AWAIT_SECONDS = 120;

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
        return "~500 B envelopes from node A (16 virtual threads, 64 in flight each) to an inbox on node B over Redis streams, each"
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
            int inFlightPerSender,
            String inbox,
            String nodes,
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
    private static final AgentId RECIPIENT = NodeBWork.RECIPIENT;

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        int n = redis.size(20_000, 5_000);
        Colony a = fixture.a();
        NodeB b = fixture.b();
        LongAdder retries = new LongAdder();
        NodeBReply[] last = new NodeBReply[1];
        long[] timedOut = new long[1];
        b.call("inbox.open " + INBOX_CAPACITY, 60);
        // on a failure node B's inbox is closed with node B, by the fixture
        Measurement m = Loop.measure(settings, "redis-messenger", n, it -> {
            b.call("inbox.start " + it + " " + n, 60);
            long start = System.nanoTime();
            sendAll(a, it, n, retries);
            NodeBReply got = b.call("inbox.await " + n + " " + AWAIT_SECONDS, AWAIT_SECONDS + 60);
            long elapsed = System.nanoTime() - start;
            timedOut[0] += got.good() < n ? 1 : 0;
            last[0] = got;
            settings.progress(
                    "redis-messenger: iteration %d: %d/%d messages in %.3f s", it + 1, got.good(), n, elapsed / 1e9);
            return Loop.Tally.of(elapsed, got.good(), got.histogram());
        });
        b.call("inbox.close", 60);
        return result(n, m, last[0].duplicates(), last[0].wrongIds(), retries.sum(), timedOut[0]);
    }

    /** The result: the figures, the same-run redis-benchmark baseline, and whether every message was clean. */
    private ScenarioResult result(int n, Measurement m, long duplicates, long wrongIds, long retries, long timedOut) {
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
                WINDOW,
                "capacity " + INBOX_CAPACITY + ", overflow FAIL, payload type String",
                fixture.nodes().flag(),
                fixture.mode("node A's messenger sends, node B's inbox handles and acknowledges (at least once)"),
                "sendAsync call on A to the start of B's handler, every message (" + fixture.clock() + ")",
                m.spread(),
                retries,
                "an outcome other than DELIVERED (MAILBOX_FULL) is retried after 1 ms",
                duplicates,
                wrongIds,
                timedOut,
                fixture.keysDeleted(),
                baseline.isEmpty() ? RedisBench.NO_BASELINE : null,
                baseline.isEmpty() ? null : command);
        boolean clean = duplicates == 0 && wrongIds == 0;
        return ScenarioResult.of(
                        name(), m, new ScenarioResult.Verified(m.expected(), m.observed()), TARGET, clean, details)
                .with(baseline.orElse(null));
    }

    /**
     * Node A sends messages {@code 0..n-1} of iteration {@code it} from its sender virtual threads, each keeping
     * up to {@value #WINDOW} of its messages in flight ({@code sendAsync}); each payload carries the id its
     * envelope is sent with, which node B checks.
     */
    private static void sendAll(Colony a, int it, int n, LongAdder retries) throws InterruptedException {
        Thread[] senders = new Thread[SENDERS];
        for (int s = 0; s < SENDERS; s++) {
            int first = s;
            senders[s] = Thread.ofVirtual().start(() -> {
                ArrayDeque<InFlight> window = new ArrayDeque<>(WINDOW);
                for (int seq = first; seq < n; seq += SENDERS) {
                    if (window.size() == WINDOW && !settle(a, it, window.poll(), retries)) {
                        return;
                    }
                    window.add(new InFlight(seq, a.messenger().sendAsync(envelope(it, seq))));
                }
                while (!window.isEmpty()) {
                    if (!settle(a, it, window.poll(), retries)) {
                        return;
                    }
                }
            });
        }
        for (Thread t : senders) {
            t.join();
        }
    }

    /** A message on its way: its sequence number and the future of its outcome. */
    private record InFlight(int seq, CompletableFuture<SendOutcome> outcome) {}

    /**
     * Waits for {@code sent}'s outcome; an outcome other than DELIVERED is retried (a new envelope, the same
     * sequence number) with {@code send} after 1 ms until delivered. False when interrupted.
     */
    private static boolean settle(Colony a, int it, InFlight sent, LongAdder retries) {
        SendOutcome outcome = sent.outcome().join();
        while (outcome != SendOutcome.DELIVERED) {
            retries.increment();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            outcome = a.messenger().send(envelope(it, sent.seq()));
        }
        return true;
    }

    /** Message {@code seq} of iteration {@code it}: a fresh id, which the ~500-byte payload carries with the send time. */
    private static Envelope envelope(int it, int seq) {
        String id = Envelope.newId();
        String payload = RedisBench.padded(it + ":" + seq + ":" + System.nanoTime() + ":" + id + ":", PAYLOAD_BYTES);
        return Envelope.of(SENDER, RECIPIENT, "bench", payload).withId(id);
    }
}
