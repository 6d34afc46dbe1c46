package dev.colony.validation.scenarios;

import dev.colony.bus.Event;
import dev.colony.bus.Subject;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code load} scenario's baseline: the same work on plain virtual threads, without Colony. N virtual
 * threads, started before the timed region and released together, each run {@value LoadScenario#OPS} ops:
 * every op hands an {@link Event} to the same two counting handlers (what a DIRECT bus delivery does, minus
 * the bus); every {@value LoadScenario#MESSAGE_EVERY}th puts a ping into the next agent's bounded
 * {@link ArrayBlockingQueue} (capacity: one iteration's pings, so an offer never fails when the work is
 * right); every {@value LoadScenario#MEMORY_EVERY}th compare-and-sets the agent's own versioned entry in a
 * {@link ConcurrentHashMap}. After its ops each thread takes its pings and checks their sender. A platform
 * thread copies the map, encodes it with Jackson, decodes and re-encodes it, and compares the bytes, at
 * release and every {@value LoadScenario#SNAPSHOT_EVERY_MS} ms after. The same six counts are verified.
 */
final class LoadBaseline {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A versioned memory entry; replaced whole on every update. */
    private record Entry(long version, byte[] value) {}

    private final int n;
    private final int pingsPerIteration = LoadScenario.OPS / LoadScenario.MESSAGE_EVERY;
    private final Subject[] subjects;
    private final LoadScenario.Op[] ops;
    private final LoadScenario.Ping[] pings;
    private final List<ArrayBlockingQueue<LoadScenario.Ping>> inboxes;
    private final String[] keys;
    private final ConcurrentHashMap<String, Entry> memory = new ConcurrentHashMap<>();
    private final byte[] value = {1, 2, 3, 4, 5, 6, 7, 8};
    private final long[] latencies;

    /** One iteration's per-agent counts, each slot written by its agent's thread only. */
    private record Counts(int[] opsDone, int[] deliveries, int[] received, int[] updates) {
        Counts(int n) {
            this(new int[n], new int[n], new int[n], new int[n]);
        }
    }

    private LoadBaseline(int agents) {
        n = agents;
        subjects = new Subject[n];
        ops = new LoadScenario.Op[n];
        pings = new LoadScenario.Ping[n];
        inboxes = new ArrayList<>(n);
        keys = new String[n];
        latencies = new long[n * LoadScenario.OPS];
        for (int a = 0; a < n; a++) {
            subjects[a] = Subject.of("load." + a + ".op");
            ops[a] = new LoadScenario.Op(a);
            pings[a] = new LoadScenario.Ping(a);
            inboxes.add(new ArrayBlockingQueue<>(pingsPerIteration));
            keys[a] = "agent-" + a;
            memory.put(keys[a], new Entry(0, value));
        }
    }

    /** Runs the warm-up and measured iterations for {@code agents} agents and returns the measurement. */
    static Measurement run(BenchSettings settings, int agents) throws Exception {
        LoadBaseline baseline = new LoadBaseline(agents);
        return Loop.measure(
                settings,
                "load: baseline (plain virtual threads)",
                (long) agents * LoadScenario.OPS,
                baseline::iteration);
    }

    /** One iteration: the threads are released together, then the six counts are checked. */
    private Loop.Tally iteration(int it) throws InterruptedException {
        Counts counts = new Counts(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        for (int a = 0; a < n; a++) {
            int agent = a;
            Thread.ofVirtual().start(() -> {
                ready.countDown();
                try {
                    gate.await();
                    agent(agent, counts);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        ready.await();
        Snapshotter snapshotter = new Snapshotter(memory);
        long start = System.nanoTime();
        snapshotter.thread.start();
        gate.countDown();
        done.await();
        long elapsed = System.nanoTime() - start;
        snapshotter.stop();
        if (failure.get() != null) {
            throw new IllegalStateException("a baseline agent failed: " + failure.get(), failure.get());
        }
        return new Loop.Tally(elapsed, expected(snapshotter.taken), observed(counts, it, snapshotter.good), latency());
    }

    /** One agent's ops, then its pings: the same six kinds of work the Colony run counts. */
    private void agent(int agent, Counts counts) throws InterruptedException {
        int base = agent * LoadScenario.OPS;
        long t = System.nanoTime();
        for (int i = 0; i < LoadScenario.OPS; i++) {
            boolean ok = publish(subjects[agent], ops[agent], counts.deliveries());
            if (i % LoadScenario.MESSAGE_EVERY == LoadScenario.MESSAGE_EVERY - 1) {
                ok &= inboxes.get((agent + 1) % n).offer(pings[agent]);
            }
            if (i % LoadScenario.MEMORY_EVERY == LoadScenario.MEMORY_EVERY - 1) {
                Entry current = memory.get(keys[agent]);
                if (memory.replace(keys[agent], current, new Entry(current.version() + 1, value))) {
                    counts.updates()[agent]++;
                } else {
                    ok = false;
                }
            }
            if (ok) {
                counts.opsDone()[agent]++;
            }
            long now = System.nanoTime();
            latencies[base + i] = now - t;
            t = now;
        }
        int previous = (agent + n - 1) % n;
        for (int p = 0; p < pingsPerIteration; p++) {
            LoadScenario.Ping ping = inboxes.get(agent).poll(60, TimeUnit.SECONDS);
            if (ping != null && ping.from() == previous) {
                counts.received()[agent]++;
            }
        }
    }

    private long expected(long snapshotsTaken) {
        return (long) n * LoadScenario.OPS
                + (long) n * LoadScenario.OPS * LoadScenario.SUBSCRIBERS
                + (long) n * pingsPerIteration
                + (long) n * (LoadScenario.OPS / LoadScenario.MEMORY_EVERY)
                + n
                + snapshotsTaken;
    }

    private long observed(Counts counts, int it, long snapshotsGood) {
        long wantVersion = (long) (it + 1) * (LoadScenario.OPS / LoadScenario.MEMORY_EVERY);
        long keysAtVersion = Arrays.stream(keys)
                .filter(k -> memory.get(k).version() == wantVersion)
                .count();
        return sum(counts.opsDone())
                + sum(counts.deliveries())
                + sum(counts.received())
                + sum(counts.updates())
                + keysAtVersion
                + snapshotsGood;
    }

    private Histogram latency() {
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        for (long l : latencies) {
            latency.recordValue(l);
        }
        return latency;
    }

    /** The two subscribers of the Colony run, called directly: each counts the op for its agent. */
    private static boolean publish(Subject subject, LoadScenario.Op op, int[] deliveries) {
        Event event = new Event(subject, op);
        boolean ok = true;
        for (int s = 0; s < LoadScenario.SUBSCRIBERS; s++) {
            if (event.payload() instanceof LoadScenario.Op o) {
                deliveries[o.agent()]++;
            } else {
                ok = false;
            }
        }
        return ok;
    }

    private static long sum(int[] values) {
        return Arrays.stream(values).asLongStream().sum();
    }

    /** Copies, encodes, decodes and re-encodes the map at once, then every 100 ms; counts equal round trips. */
    private static final class Snapshotter {
        final Thread thread;
        private final CountDownLatch stop = new CountDownLatch(1);
        volatile long taken;
        volatile long good;

        Snapshotter(ConcurrentHashMap<String, Entry> memory) {
            thread = Thread.ofPlatform()
                    .name("load-baseline-snapshots")
                    .daemon()
                    .unstarted(() -> {
                        try {
                            do {
                                Map<String, Entry> copy = new TreeMap<>(memory);
                                byte[] encoded = JSON.writeValueAsBytes(copy);
                                Object decoded = JSON.readTree(encoded);
                                boolean equal = Arrays.equals(JSON.writeValueAsBytes(decoded), encoded);
                                taken++;
                                if (equal) {
                                    good++;
                                }
                            } while (!stop.await(LoadScenario.SNAPSHOT_EVERY_MS, TimeUnit.MILLISECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
        }

        void stop() throws InterruptedException {
            stop.countDown();
            thread.join();
        }
    }
}
