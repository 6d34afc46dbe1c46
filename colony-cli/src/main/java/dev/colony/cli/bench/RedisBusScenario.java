package dev.colony.cli.bench;

import dev.colony.Colony;
import dev.colony.bus.BusMetrics;
import dev.colony.bus.PublishResult;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * {@code redis-bus}: two nodes of one swarm over Redis pub/sub. Node B subscribes {@code bench.>} with a
 * DIRECT handler that checks every payload; node A publishes N events of 200 bytes from two threads; a
 * publish whose Redis copy the outbound buffer dropped is retried after a pause, so every event must arrive
 * exactly once. Both nodes are in this JVM, each with its own Redis connections.
 */
final class RedisBusScenario implements Scenario {
    static final int PAYLOAD_BYTES = 200;
    static final int PUBLISHERS = 2;
    static final ScenarioResult.Target TARGET = new ScenarioResult.Target("throughput_per_sec", 200_000);

    private final RedisBench redis;

    RedisBusScenario(RedisBench redis) {
        this.redis = redis;
    }

    @Override
    public String name() {
        return "redis-bus";
    }

    @Override
    public String description() {
        return "events of 200 B from node A (2 threads) to a DIRECT subscriber on node B over Redis pub/sub,"
                + " every one checked; baseline redis-benchmark PUBLISH";
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
        int n = redis.size(100_000, 20_000);
        String swarm = redis.freshSwarm("bus");
        Measurement m = new Measurement(n);
        LongAdder retries = new LongAdder();
        long duplicates = 0;
        long timedOut = 0;
        BusMetrics metricsA;
        BusMetrics metricsB;
        try (Colony a = redis.colony(swarm).build();
                Colony b = redis.colony(swarm).build()) {
            ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
            AtomicReference<AtomicIntegerArray> seen = new AtomicReference<>(new AtomicIntegerArray(n));
            AtomicInteger iteration = new AtomicInteger();
            LongAdder good = new LongAdder();
            LongAdder dup = new LongAdder();
            b.bus()
                    .subscribe(
                            SubjectPattern.of("bench.>"),
                            event -> {
                                long now = System.nanoTime();
                                if (!(event.payload() instanceof String text) || text.length() != PAYLOAD_BYTES) {
                                    return;
                                }
                                String[] parts = text.split(":", 4);
                                int it = Integer.parseInt(parts[0]);
                                int seq = Integer.parseInt(parts[1]);
                                long sent = Long.parseLong(parts[2]);
                                if (it != iteration.get() || seq < 0 || seq >= n) {
                                    return; // a straggler of an earlier iteration cannot happen over pub/sub, but is
                                    // not counted
                                }
                                if (seen.get().incrementAndGet(seq) == 1) {
                                    latency.recordValue(Math.max(0, now - sent));
                                    good.increment();
                                } else {
                                    dup.increment();
                                }
                            },
                            SubscribeOptions.direct());
            for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
                seen.set(new AtomicIntegerArray(n));
                good.reset();
                latency.reset();
                iteration.set(it);
                int current = it;
                long start = System.nanoTime();
                Thread[] publishers = new Thread[PUBLISHERS];
                for (int p = 0; p < PUBLISHERS; p++) {
                    int first = p;
                    publishers[p] = Thread.ofPlatform().start(() -> {
                        for (int seq = first; seq < n; seq += PUBLISHERS) {
                            String head = current + ":" + seq + ":";
                            while (true) {
                                String payload = RedisBench.padded(head + System.nanoTime() + ":", PAYLOAD_BYTES);
                                PublishResult r = a.bus().publish("bench.e" + (seq & 7), payload);
                                if (r.dropped() == 0) {
                                    break;
                                }
                                retries.increment();
                                sleepQuietly();
                            }
                        }
                    });
                }
                for (Thread t : publishers) {
                    t.join();
                }
                boolean all = RedisBench.await(() -> good.sum() >= n, 60);
                long elapsed = System.nanoTime() - start;
                if (!all) {
                    timedOut++;
                }
                settings.progress(
                        "redis-bus: iteration %d: %d/%d events in %.3f s", it + 1, good.sum(), n, elapsed / 1e9);
                if (it >= settings.warmup()) {
                    m.latency.add(latency);
                    m.iteration(elapsed, n, good.sum());
                }
            }
            duplicates = dup.sum();
            metricsA = a.bus().metrics();
            metricsB = b.bus().metrics();
        }
        long deleted = redis.deleteKeys(swarm);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("swarm", swarm);
        details.put("events_per_iteration", n);
        details.put("payload_bytes", PAYLOAD_BYTES);
        details.put("publisher_threads", PUBLISHERS);
        details.put(
                "mode",
                "node A publishes, node B's DIRECT subscription handles; both nodes in this JVM (the goal"
                        + " is between two JVMs), each with its own Redis connections");
        details.put(
                "latency_basis",
                "publish call on A to the start of B's handler, every event (one JVM, one clock); publishers are"
                        + " not paced, so it includes the time queued behind earlier events");
        details.putAll(m.spread());
        details.put("publish_retries", retries.sum());
        details.put("retry_policy", "a publish whose Redis copy the outbound buffer dropped is retried after 1 ms");
        details.put("duplicates", duplicates);
        details.put("iterations_timed_out", timedOut);
        details.put("node_a_dropped", metricsA.dropped());
        details.put("node_b_dropped", metricsB.dropped());
        details.put("goal_events_per_sec", TARGET.min());
        details.put("goal_met", m.throughput() >= TARGET.min());
        details.put(
                "keys_deleted",
                deleted < 0
                        ? "no (redis-cli missing or failed): left under " + RedisBench.prefix(swarm)
                        : String.valueOf(deleted));
        boolean pass = m.verified() && duplicates == 0 && m.throughput() >= TARGET.min();
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
        String command = redis.benchmarkCommand(n, "PUBLISH bench:ch <200 B>");
        var baseline = redis.baseline(
                "redis-benchmark PUBLISH",
                "redis-benchmark's own count of PUBLISH requests of a 200-byte message per second (" + command
                        + ", 50 clients): one command per request, no Colony work, no subscriber, nothing checked",
                m.iterations(),
                n,
                m.throughput(),
                "PUBLISH",
                "bench:ch",
                "x".repeat(PAYLOAD_BYTES));
        if (baseline.isEmpty()) {
            details.put("baseline", "none: redis-benchmark is not on the PATH or failed");
            return result.with(m.perIteration(), null);
        }
        details.put("baseline_command", command);
        return result.with(m.perIteration(), baseline.get());
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
