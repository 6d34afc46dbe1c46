package dev.colony.cli.bench;

import dev.colony.Colony;
import dev.colony.bus.OverflowPolicy;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.SendOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private final RedisBench redis;

    RedisMessengerScenario(RedisBench redis) {
        this.redis = redis;
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

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        int n = redis.size(20_000, 5_000);
        String swarm = redis.freshSwarm("msg");
        Measurement m = new Measurement(n);
        LongAdder retries = new LongAdder();
        LongAdder duplicates = new LongAdder();
        LongAdder wrongId = new LongAdder();
        long timedOut = 0;
        AgentId sender = AgentId.of("bench-a");
        AgentId recipient = AgentId.of("bench-b");
        try (Colony a = redis.colony(swarm).build();
                Colony b = redis.colony(swarm).build()) {
            ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
            AtomicReference<AtomicIntegerArray> seen = new AtomicReference<>(new AtomicIntegerArray(n));
            AtomicReference<AtomicReferenceArray<String>> ids = new AtomicReference<>(new AtomicReferenceArray<>(n));
            AtomicInteger iteration = new AtomicInteger();
            LongAdder good = new LongAdder();
            InboxOptions options = InboxOptions.defaults()
                    .withPayloadType(String.class)
                    .withCapacity(INBOX_CAPACITY)
                    .withOverflow(OverflowPolicy.FAIL);
            b.messenger().open(recipient, options).attach(message -> {
                long now = System.nanoTime();
                if (!(message.payload() instanceof String text) || text.length() != PAYLOAD_BYTES) {
                    return;
                }
                String[] parts = text.split(":", 4);
                int it = Integer.parseInt(parts[0]);
                int seq = Integer.parseInt(parts[1]);
                long sent = Long.parseLong(parts[2]);
                if (it != iteration.get() || seq < 0 || seq >= n) {
                    return;
                }
                if (!message.id().equals(ids.get().get(seq))) {
                    wrongId.increment();
                    return;
                }
                if (seen.get().incrementAndGet(seq) == 1) {
                    latency.recordValue(Math.max(0, now - sent));
                    good.increment();
                } else {
                    duplicates.increment();
                }
            });
            for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
                seen.set(new AtomicIntegerArray(n));
                ids.set(new AtomicReferenceArray<>(n));
                good.reset();
                latency.reset();
                iteration.set(it);
                int current = it;
                long start = System.nanoTime();
                Thread[] senders = new Thread[SENDERS];
                for (int s = 0; s < SENDERS; s++) {
                    int first = s;
                    senders[s] = Thread.ofVirtual().start(() -> {
                        for (int seq = first; seq < n; seq += SENDERS) {
                            String head = current + ":" + seq + ":";
                            while (true) {
                                String payload = RedisBench.padded(head + System.nanoTime() + ":", PAYLOAD_BYTES);
                                Envelope envelope = Envelope.of(sender, recipient, "bench", payload);
                                ids.get().set(seq, envelope.id());
                                SendOutcome outcome = a.messenger().send(envelope);
                                if (outcome == SendOutcome.DELIVERED) {
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
                boolean all = RedisBench.await(() -> good.sum() >= n, 120);
                long elapsed = System.nanoTime() - start;
                if (!all) {
                    timedOut++;
                }
                settings.progress(
                        "redis-messenger: iteration %d: %d/%d messages in %.3f s",
                        it + 1, good.sum(), n, elapsed / 1e9);
                if (it >= settings.warmup()) {
                    m.latency.add(latency);
                    m.iteration(elapsed, n, good.sum());
                }
            }
        }
        long deleted = redis.deleteKeys(swarm);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("swarm", swarm);
        details.put("messages_per_iteration", n);
        details.put("payload_bytes", PAYLOAD_BYTES);
        details.put("sender_threads", SENDERS);
        details.put("inbox", "capacity " + INBOX_CAPACITY + ", overflow FAIL, payload type String");
        details.put(
                "mode",
                "node A's messenger sends, node B's inbox handles and acknowledges (at least once); both"
                        + " nodes in this JVM, each with its own Redis connections");
        details.put("latency_basis", "send call on A to the start of B's handler, every message (one JVM, one clock)");
        details.putAll(m.spread());
        details.put("send_retries", retries.sum());
        details.put("retry_policy", "an outcome other than DELIVERED (MAILBOX_FULL) is retried after 1 ms");
        details.put("duplicates", duplicates.sum());
        details.put("wrong_ids", wrongId.sum());
        details.put("iterations_timed_out", timedOut);
        details.put("goal_msgs_per_sec", TARGET.min());
        details.put("goal_met", m.throughput() >= TARGET.min());
        details.put(
                "keys_deleted",
                deleted < 0
                        ? "no (redis-cli missing or failed): left under " + RedisBench.prefix(swarm)
                        : String.valueOf(deleted));
        boolean pass = m.verified() && duplicates.sum() == 0 && wrongId.sum() == 0 && m.throughput() >= TARGET.min();
        ScenarioResult result = new ScenarioResult(
                name(),
                n,
                m.iterations(),
                Measurement.round(m.medianSeconds()),
                Measurement.round(m.throughput()),
                m.latencyUs(),
                new ScenarioResult.Verified(m.expected(), m.observed()),
                TARGET,
                pass,
                details);
        String key = RedisBench.prefix(swarm) + "rb-stream";
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
        redis.deleteKeys(swarm);
        if (baseline.isEmpty()) {
            details.put("baseline", "none: redis-benchmark is not on the PATH or failed");
            return result.with(m.perIteration(), null);
        }
        details.put("baseline_command", command);
        return result.with(m.perIteration(), baseline.get());
    }
}
