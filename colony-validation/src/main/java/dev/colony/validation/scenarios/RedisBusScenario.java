package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.Colony;
import dev.colony.bus.Event;
import dev.colony.bus.PublishResult;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
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

    /** Node B's checking subscriber: counts each event of the current iteration once, and its latency. */
    private static final class Receiver {
        final ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
        final AtomicReference<AtomicIntegerArray> seen = new AtomicReference<>();
        final AtomicInteger iteration = new AtomicInteger();
        final LongAdder good = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final int n;

        Receiver(int n) {
            this.n = n;
        }

        void start(int it) {
            seen.set(new AtomicIntegerArray(n));
            good.reset();
            latency.reset();
            iteration.set(it);
        }

        void handle(Event event) {
            long now = System.nanoTime();
            if (!(event.payload() instanceof String text) || text.length() != PAYLOAD_BYTES) {
                return;
            }
            String[] parts = text.split(":", 4);
            int it = Integer.parseInt(parts[0]);
            int seq = Integer.parseInt(parts[1]);
            if (it != iteration.get() || seq < 0 || seq >= n) {
                return; // a straggler of an earlier iteration cannot happen over pub/sub, but is not counted
            }
            if (seen.get().incrementAndGet(seq) == 1) {
                latency.recordValue(Math.max(0, now - Long.parseLong(parts[2])));
                good.increment();
            } else {
                duplicates.increment();
            }
        }
    }

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        int n = redis.size(100_000, 20_000);
        Colony a = fixture.a();
        Colony b = fixture.b();
        Receiver receiver = new Receiver(n);
        LongAdder retries = new LongAdder();
        long[] timedOut = new long[1];
        Measurement m;
        Subscription subscription =
                b.bus().subscribe(SubjectPattern.of("bench.>"), receiver::handle, SubscribeOptions.direct());
        try {
            m = Loop.measure(settings, "redis-bus", n, it -> {
                receiver.start(it);
                long start = System.nanoTime();
                publishAll(a, it, n, retries);
                boolean all = RedisBench.await(() -> receiver.good.sum() >= n, 60);
                long elapsed = System.nanoTime() - start;
                timedOut[0] += all ? 0 : 1;
                settings.progress(
                        "redis-bus: iteration %d: %d/%d events in %.3f s",
                        it + 1, receiver.good.sum(), n, elapsed / 1e9);
                return Loop.Tally.of(elapsed, receiver.good.sum(), receiver.latency.copy());
            });
        } finally {
            subscription.close();
        }
        return result(n, m, receiver, retries.sum(), timedOut[0]);
    }

    /** The result: the figures, the same-run redis-benchmark baseline, and whether every event was clean. */
    private ScenarioResult result(int n, Measurement m, Receiver receiver, long retries, long timedOut) {
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
                "node A publishes, node B's DIRECT subscription handles; both nodes in this JVM (the goal"
                        + " is between two JVMs), each with its own Redis connections",
                "publish call on A to the start of B's handler, every event (one JVM, one clock); publishers are"
                        + " not paced, so it includes the time queued behind earlier events",
                m.spread(),
                retries,
                "a publish whose Redis copy the outbound buffer dropped is retried after 1 ms",
                receiver.duplicates.sum(),
                timedOut,
                fixture.a().bus().metrics().dropped(),
                fixture.b().bus().metrics().dropped(),
                fixture.keysDeleted(),
                baseline.isEmpty() ? RedisBench.NO_BASELINE : null,
                baseline.isEmpty() ? null : command);
        boolean clean = receiver.duplicates.sum() == 0;
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
