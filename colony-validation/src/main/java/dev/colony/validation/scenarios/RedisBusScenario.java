package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.Colony;
import dev.colony.bus.PublishResult;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code redis-bus}: two nodes of one swarm over Redis pub/sub. Node B subscribes {@code bench.>} with a
 * DIRECT handler that checks every payload; node A publishes N events of 200 bytes from two threads; a
 * publish whose Redis copy the outbound buffer dropped is retried after a pause, so every event must arrive
 * exactly once. Node B runs in a child JVM, or in this one with {@link RedisNodes#ONE_JVM} (ADR 0058).
 */
final class RedisBusScenario implements Scenario {
    static final int PAYLOAD_BYTES = 200;
    static final int PUBLISHERS = 2;
    static final ScenarioResult.Target TARGET = new ScenarioResult.Target("throughput_per_sec", 200_000);
    static final int AWAIT_SECONDS = 60;

    private final RedisFixture fixture;
    private final RedisBench redis;

    RedisBusScenario(RedisFixture fixture) {
        this.fixture = fixture;
        this.redis = fixture.redis();
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

    /** The figures under {@code details}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Details(
            String swarm,
            int eventsPerIteration,
            int payloadBytes,
            int publisherThreads,
            String nodes,
            String mode,
            String latencyBasis,
            @JsonUnwrapped ThroughputSpread spread,
            long publishRetries,
            String retryPolicy,
            long duplicates,
            long iterationsTimedOut,
            long nodeADropped,
            long nodeBDropped,
            String keysDeleted,
            String baseline,
            String baselineCommand) {}

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        int n = redis.size(100_000, 20_000);
        Colony a = fixture.a();
        NodeB b = fixture.b();
        LongAdder retries = new LongAdder();
        long[] counts = new long[2]; // timed-out iterations, duplicates
        b.call("bus.subscribe", 60);
        // on a failure node B's subscription is closed with node B, by the fixture
        Measurement m = Loop.measure(settings, "redis-bus", n, it -> {
            b.call("bus.start " + it + " " + n, 60);
            long start = System.nanoTime();
            publishAll(a, it, n, retries);
            NodeBReply got = b.call("bus.await " + n + " " + AWAIT_SECONDS, AWAIT_SECONDS + 60);
            long elapsed = System.nanoTime() - start;
            counts[0] += got.good() < n ? 1 : 0;
            counts[1] = got.duplicates();
            settings.progress("redis-bus: iteration %d: %d/%d events in %.3f s", it + 1, got.good(), n, elapsed / 1e9);
            return Loop.Tally.of(elapsed, got.good(), got.histogram());
        });
        long bDropped = b.call("bus.close", 60).dropped();
        return result(n, m, counts[1], bDropped, retries.sum(), counts[0]);
    }

    /** The result: the figures, the same-run redis-benchmark baseline, and whether every event was clean. */
    private ScenarioResult result(int n, Measurement m, long duplicates, long bDropped, long retries, long timedOut) {
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
        Details details = new Details(
                fixture.swarm(),
                n,
                PAYLOAD_BYTES,
                PUBLISHERS,
                fixture.nodes().flag(),
                fixture.mode("node A publishes, node B's DIRECT subscription handles"),
                "publish call on A to the start of B's handler, every event (" + fixture.clock() + "); publishers"
                        + " are not paced, so it includes the time queued behind earlier events",
                m.spread(),
                retries,
                "a publish whose Redis copy the outbound buffer dropped is retried after 1 ms",
                duplicates,
                timedOut,
                fixture.a().bus().metrics().dropped(),
                bDropped,
                fixture.keysDeleted(),
                baseline.isEmpty() ? RedisBench.NO_BASELINE : null,
                baseline.isEmpty() ? null : command);
        boolean clean = duplicates == 0;
        return ScenarioResult.of(
                        name(), m, new ScenarioResult.Verified(m.expected(), m.observed()), TARGET, clean, details)
                .with(baseline.orElse(null));
    }

    /** Node A publishes events {@code 0..n-1} of iteration {@code it} from its publisher threads. */
    private static void publishAll(Colony a, int it, int n, LongAdder retries) throws InterruptedException {
        Thread[] publishers = new Thread[PUBLISHERS];
        for (int p = 0; p < PUBLISHERS; p++) {
            int first = p;
            publishers[p] = Thread.ofPlatform().start(() -> {
                for (int seq = first; seq < n; seq += PUBLISHERS) {
                    String head = it + ":" + seq + ":";
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
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
