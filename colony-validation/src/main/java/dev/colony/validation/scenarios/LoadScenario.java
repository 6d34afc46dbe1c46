package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.Colony;
import dev.colony.agent.AgentContext;
import dev.colony.agent.AgentHandle;
import dev.colony.agent.AgentRunState;
import dev.colony.agent.AgentSpec;
import dev.colony.agent.Behavior;
import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.CasOutcome;
import dev.colony.state.MemoryEntry;
import dev.colony.state.SharedMemory;
import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * {@code load}: N agents (default {@value #DEFAULT_AGENTS}), spawned with {@link Colony#spawn}, each run
 * {@value #OPS} operations at the same time, each on its own inbox virtual thread. Every operation
 * publishes an event on {@code load.<agent>.op}, which two DIRECT subscribers ({@code load.>} and
 * {@code load.*.op}) receive and count per agent; every {@value #MESSAGE_EVERY}th sends a message by
 * reference to the next agent, whose handler checks the sender and counts it; every
 * {@value #MEMORY_EVERY}th compare-and-sets the agent's own shared-memory key (one version up). A
 * platform thread snapshots the whole coordination state when the agents are released and every
 * {@value #SNAPSHOT_EVERY_MS} ms after, encodes it, decodes it and checks it re-encodes to the same bytes.
 *
 * <p>An iteration is timed from releasing the agents until every agent finished its operations and every
 * message was received; the counts are then checked: deliveries, receipts, memory updates, each key's
 * version, snapshots. Each operation is timed (one {@code nanoTime} between consecutive operations).
 */
public final class LoadScenario implements Scenario {
    /** The scenario's name, which {@code --agents} applies to. */
    public static final String NAME = "load";

    static final int DEFAULT_AGENTS = 100;
    static final int MAX_AGENTS = 100_000;
    static final int OPS = 100;
    static final int MESSAGE_EVERY = 10;
    static final int MEMORY_EVERY = 20;
    static final int SUBSCRIBERS = 2;
    static final long SNAPSHOT_EVERY_MS = 100;
    /** Colony's load goals are stated for this many agents (docs/workloads.md); the warm-up spawn is as big. */
    static final int GOAL_AGENTS = 10_000;

    static final String NAMESPACE = "load";
    static final String PING = "load.ping";
    static final String GO = "load.go";

    private final int agents;

    LoadScenario() {
        this(DEFAULT_AGENTS);
    }

    public LoadScenario(int agents) {
        if (agents < 1 || agents > MAX_AGENTS) {
            throw new IllegalArgumentException(
                    "--agents must be between 1 and " + String.format("%,d", MAX_AGENTS) + ", got " + agents);
        }
        this.agents = agents;
    }

    int agents() {
        return agents;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "N agents (--agents, default 100) x 100 ops on their own virtual threads: publish to 2 subscribers,"
                + " message every 10th, memory CAS every 20th, snapshot every 100 ms; all counted";
    }

    @Override
    public int defaultWarmup() {
        return agents <= 1_000 ? 20 : agents <= 10_000 ? 3 : 1;
    }

    @Override
    public int defaultIterations() {
        return agents <= 1_000 ? 20 : agents <= 10_000 ? 5 : 3;
    }

    /** The event payload of one agent; built before the timed region, reused by every op. */
    record Op(int agent) {}

    /** The message payload an agent sends to the next one. */
    record Ping(int from) {}

    /** Sent to every agent to start an iteration: it reports ready, waits for the gate, runs its ops. */
    record Round(CountDownLatch ready, CountDownLatch gate, CountDownLatch done) {}

    /** Per-agent counters, each slot written by one agent's thread only, read after the iteration. */
    private final class Counters {
        final int[] opsDone = new int[agents];
        final int[] deliveriesAll = new int[agents];
        final int[] deliveriesOp = new int[agents];
        final int[] received = new int[agents];
        final int[] memoryUpdates = new int[agents];
        final long[] version = new long[agents];
        final LongAdder receivedTotal = new LongAdder();
        final LongAdder wrong = new LongAdder();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        void reset() {
            Arrays.fill(opsDone, 0);
            Arrays.fill(deliveriesAll, 0);
            Arrays.fill(deliveriesOp, 0);
            Arrays.fill(received, 0);
            Arrays.fill(memoryUpdates, 0);
            receivedTotal.reset();
        }
    }

    /** The names of the six counts every iteration verifies, in the order of {@link #expected} and observed. */
    static final List<String> COUNTS =
            List.of("ops", "events_delivered", "messages_received", "memory_updates", "keys_at_version", "snapshots");

    /** What the agents work with, built before anything is timed. */
    private record Inputs(AgentId[] ids, Subject[] subjects, Op[] ops, Ping[] pings, String[] keys, long[] latencies) {}

    /** The agents' spawn: how long until all were RUNNING, and the heap each took. */
    private record Spawn(double ms, long heapPerAgent, Double warmupMs, Integer warmupAgents) {}

    /** The concurrent snapshots of the coordination state. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Snapshots(long intervalMs, long taken, int bytesLast, Percentiles latencyUs, String latencyBasis) {}

    /** Snapshot latency in microseconds; empty when none was taken. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Percentiles(Double p50, Double p99, Double max, Long count) {
        static Percentiles of(Histogram h) {
            return h.getTotalCount() == 0
                    ? new Percentiles(null, null, null, null)
                    : new Percentiles(
                            Measurement.micros(h.getValueAtPercentile(50)),
                            Measurement.micros(h.getValueAtPercentile(99)),
                            Measurement.micros(h.getMaxValue()),
                            h.getTotalCount());
        }
    }

    /** The figures under {@code details}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Details(
            int agents,
            int opsPerAgent,
            String op,
            String threads,
            String latencyBasis,
            @JsonUnwrapped ThroughputSpread spread,
            Map<String, ScenarioResult.Verified> counts,
            double spawnMs,
            String spawnBasis,
            Integer warmupSpawnAgents,
            Double warmupSpawnMs,
            long heapPerAgentBytes,
            String heapBasis,
            Snapshots snapshots) {}

    /** The measured run's state between iterations: the counts over measured iterations, the snapshots. */
    private static final class Totals {
        final long[][] counts = new long[COUNTS.size()][2];
        final Histogram snapshotLatency = new Histogram(3_600_000_000_000L, 3);
        long snapshots;
        int snapshotBytes;

        Map<String, ScenarioResult.Verified> verified() {
            Map<String, ScenarioResult.Verified> all = new LinkedHashMap<>();
            for (int i = 0; i < COUNTS.size(); i++) {
                all.put(COUNTS.get(i), new ScenarioResult.Verified(counts[i][0], counts[i][1]));
            }
            return all;
        }
    }

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        Inputs in = inputs();
        Counters c = new Counters();
        Totals totals = new Totals();
        Double warmupMs = warmupSpawn(settings);
        Spawn spawn;
        Measurement m;
        try (Colony colony = Colony.embedded()) {
            subscribe(colony.bus(), c);
            spawn = spawn(settings, colony, in, c, warmupMs);
            m = Loop.measure(settings, "load: " + agents + " agents", (long) agents * OPS, it -> {
                boolean measured = it >= settings.warmup();
                return iteration(colony, in, c, it, measured ? totals : null);
            });
            settings.progress("load: stopping %,d agents", agents);
        }
        if (c.wrong.sum() != 0) {
            throw new IllegalStateException(c.wrong.sum() + " deliveries or messages carried the wrong content");
        }
        settings.progress("load: baseline (plain virtual threads)");
        Measurement plain = LoadBaseline.run(settings, agents);
        return ScenarioResult.of(
                        name(),
                        m,
                        new ScenarioResult.Verified(m.expected(), m.observed()),
                        ScenarioResult.ORIGINAL_TARGET,
                        true,
                        details(m, spawn, totals))
                .with(ScenarioResult.Baseline.of(
                        "plain virtual threads",
                        "the same agents as plain virtual threads released together: each op hands an Event to"
                                + " the same two counting handlers, every 10th puts a ping in the next agent's"
                                + " ArrayBlockingQueue, every 20th CASes a versioned ConcurrentHashMap entry; a"
                                + " platform thread copies, JSON-encodes, decodes and compares the map every 100 ms;"
                                + " the same six counts verified",
                        plain,
                        m,
                        true));
    }

    private Inputs inputs() {
        Inputs in = new Inputs(
                new AgentId[agents],
                new Subject[agents],
                new Op[agents],
                new Ping[agents],
                new String[agents],
                new long[agents * OPS]);
        for (int a = 0; a < agents; a++) {
            in.ids()[a] = AgentId.of("load-" + a);
            in.subjects()[a] = Subject.of("load." + a + ".op");
            in.ops()[a] = new Op(a);
            in.pings()[a] = new Ping(a);
            in.keys()[a] = "agent-" + a;
        }
        return in;
    }

    /** A throwaway spawn of min(N, 10,000) idle agents, so the measured spawn is not the JVM's first; null without warm-up. */
    private Double warmupSpawn(BenchSettings settings) throws InterruptedException {
        if (settings.warmup() == 0) {
            return null;
        }
        int warmupAgents = warmupAgents();
        settings.progress("load: warm-up spawn of %,d idle agents in a throwaway colony", warmupAgents);
        try (Colony warm = Colony.embedded()) {
            long warmStart = System.nanoTime();
            List<AgentHandle> handles = new ArrayList<>(warmupAgents);
            for (int a = 0; a < warmupAgents; a++) {
                handles.add(warm.spawn(AgentSpec.of(AgentId.of("warm-" + a), "load"), (ctx, message) -> {}));
            }
            awaitRunning(handles);
            return (System.nanoTime() - warmStart) / 1e6;
        }
    }

    private int warmupAgents() {
        return Math.min(agents, GOAL_AGENTS);
    }

    private static void subscribe(EventBus bus, Counters c) {
        bus.subscribe(
                SubjectPattern.of("load.>"),
                event -> count(event, c.deliveriesAll, c.wrong),
                SubscribeOptions.direct().withName("load.>"));
        bus.subscribe(
                SubjectPattern.of("load.*.op"),
                event -> count(event, c.deliveriesOp, c.wrong),
                SubscribeOptions.direct().withName("load.*.op"));
    }

    /** Spawns every agent and waits until all are RUNNING; measures the time and the heap they take. */
    private Spawn spawn(BenchSettings settings, Colony colony, Inputs in, Counters c, Double warmupMs)
            throws InterruptedException {
        settings.progress("load: spawning %,d agents", agents);
        byte[] value = {1, 2, 3, 4, 5, 6, 7, 8};
        long before = usedAfterGc();
        long spawnStart = System.nanoTime();
        List<AgentHandle> handles = new ArrayList<>(agents);
        for (int a = 0; a < agents; a++) {
            Behavior behavior = new LoadAgent(
                    a,
                    in.ids()[(a + 1) % agents],
                    in.subjects()[a],
                    in.ops()[a],
                    in.pings()[a],
                    in.keys()[a],
                    value,
                    in.latencies(),
                    c);
            handles.add(colony.spawn(AgentSpec.of(in.ids()[a], "load"), behavior));
        }
        awaitRunning(handles);
        long spawnNanos = System.nanoTime() - spawnStart;
        long heapPerAgent = (usedAfterGc() - before) / agents;
        settings.progress(
                "load: %,d agents RUNNING in %.1f ms, %,d B of heap per agent", agents, spawnNanos / 1e6, heapPerAgent);
        return new Spawn(spawnNanos / 1e6, heapPerAgent, warmupMs, warmupMs == null ? null : warmupAgents());
    }

    /**
     * One iteration: every agent is started, released together, and runs its ops while snapshots are taken;
     * then the six counts are checked. With {@code totals} (a measured iteration) they are added to it.
     */
    private Loop.Tally iteration(Colony colony, Inputs in, Counters c, int it, Totals totals) throws Exception {
        c.reset();
        Round round = new Round(new CountDownLatch(agents), new CountDownLatch(1), new CountDownLatch(agents));
        AgentId driver = AgentId.of("load-driver");
        for (int a = 0; a < agents; a++) {
            if (colony.messenger().send(Envelope.of(driver, in.ids()[a], GO, round)) != SendOutcome.DELIVERED) {
                throw new IllegalStateException("could not start agent " + in.ids()[a]);
            }
        }
        round.ready().await();
        Snapshotter snapshotter = new Snapshotter(colony, totals == null ? null : totals.snapshotLatency);
        long start = System.nanoTime();
        snapshotter.thread.start();
        round.gate().countDown();
        round.done().await();
        awaitCount(c.receivedTotal, (long) agents * (OPS / MESSAGE_EVERY));
        long elapsed = System.nanoTime() - start;
        snapshotter.stop();
        Throwable failure = c.failure.get();
        if (failure != null) {
            throw new IllegalStateException("an agent failed: " + failure, failure);
        }
        long[] expected = expected(snapshotter.taken);
        long[] observed = observed(colony, in, c, it, snapshotter.good);
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        for (long l : in.latencies()) {
            latency.recordValue(l);
        }
        if (totals != null) {
            for (int i = 0; i < COUNTS.size(); i++) {
                totals.counts[i][0] += expected[i];
                totals.counts[i][1] += observed[i];
            }
            totals.snapshots += snapshotter.taken;
            totals.snapshotBytes = snapshotter.bytes;
        }
        return new Loop.Tally(
                elapsed, Arrays.stream(expected).sum(), Arrays.stream(observed).sum(), latency);
    }

    /** The six counts an iteration must reach, in the order of {@link #COUNTS}. */
    private long[] expected(long snapshotsTaken) {
        long n = agents;
        return new long[] {
            n * OPS, n * OPS * SUBSCRIBERS, n * (OPS / MESSAGE_EVERY), n * (OPS / MEMORY_EVERY), n, snapshotsTaken
        };
    }

    /** The six counts observed after iteration {@code it}; every key must be at the version its CASes reach. */
    private long[] observed(Colony colony, Inputs in, Counters c, int it, long snapshotsGood) {
        long keysAtVersion = 0;
        long wantVersion = (long) (it + 1) * (OPS / MEMORY_EVERY);
        SharedMemory memory = colony.memory();
        for (int a = 0; a < agents; a++) {
            Optional<MemoryEntry> entry = memory.get(NAMESPACE, in.keys()[a]);
            if (entry.isPresent() && entry.get().version() == wantVersion && c.version[a] == wantVersion) {
                keysAtVersion++;
            }
        }
        return new long[] {
            sum(c.opsDone),
            sum(c.deliveriesAll) + sum(c.deliveriesOp),
            sum(c.received),
            sum(c.memoryUpdates),
            keysAtVersion,
            snapshotsGood
        };
    }

    private Details details(Measurement m, Spawn spawn, Totals totals) {
        return new Details(
                agents,
                OPS,
                "publish to load.<agent>.op (2 DIRECT subscribers: load.> and load.*.op); every 10th op also a"
                        + " message by reference to the next agent; every 20th also a CAS of the agent's own key",
                "each agent runs its ops on its own inbox virtual thread; agents released together",
                "each op, including its deliveries and any send or CAS; consecutive nanoTime readings per agent",
                m.spread(),
                totals.verified(),
                Measurement.round(spawn.ms()),
                "colony.spawn of every agent until all are RUNNING, once per run, after a warm-up spawn of"
                        + " min(N, 10,000) idle agents in a throwaway colony (when --warmup > 0)",
                spawn.warmupAgents(),
                spawn.warmupMs() == null ? null : Measurement.round(spawn.warmupMs()),
                spawn.heapPerAgent(),
                "used heap after GC, after spawning minus before, divided by the agents",
                new Snapshots(
                        SNAPSHOT_EVERY_MS,
                        totals.snapshots,
                        totals.snapshotBytes,
                        Percentiles.of(totals.snapshotLatency),
                        "snapshot() + encode + decode + re-encode and compare, concurrent with the agents"));
    }

    /** One agent: on a {@link Round} it runs its ops; on a ping it checks the sender and counts it. */
    private final class LoadAgent implements Behavior {
        private final int index;
        private final AgentId next;
        private final Subject subject;
        private final Op op;
        private final Ping ping;
        private final String key;
        private final byte[] value;
        private final long[] latencies;
        private final Counters c;
        private final int previous;

        LoadAgent(
                int index,
                AgentId next,
                Subject subject,
                Op op,
                Ping ping,
                String key,
                byte[] value,
                long[] latencies,
                Counters c) {
            this.index = index;
            this.next = next;
            this.subject = subject;
            this.op = op;
            this.ping = ping;
            this.key = key;
            this.value = value;
            this.latencies = latencies;
            this.c = c;
            this.previous = (index + agents - 1) % agents;
        }

        @Override
        public void onMessage(AgentContext ctx, Envelope message) throws Exception {
            if (message.payload() instanceof Round round) {
                round.ready().countDown();
                try {
                    round.gate().await();
                    runOps(ctx);
                } catch (Throwable e) {
                    c.failure.compareAndSet(null, e);
                } finally {
                    round.done().countDown();
                }
            } else if (PING.equals(message.type()) && message.payload() instanceof Ping p && p.from() == previous) {
                c.received[index]++;
                c.receivedTotal.increment();
            } else {
                c.wrong.increment();
                c.receivedTotal.increment();
            }
        }

        private void runOps(AgentContext ctx) {
            EventBus bus = ctx.bus();
            SharedMemory memory = ctx.memory();
            int base = index * OPS;
            long version = c.version[index];
            int updates = 0;
            int done = 0;
            long t = System.nanoTime();
            for (int i = 0; i < OPS; i++) {
                bus.publish(subject, op);
                boolean ok = true;
                if (i % MESSAGE_EVERY == MESSAGE_EVERY - 1) {
                    ok = ctx.send(next, PING, ping) == SendOutcome.DELIVERED;
                }
                if (i % MEMORY_EVERY == MEMORY_EVERY - 1) {
                    if (memory.compareAndSet(NAMESPACE, key, version, value, null, null) == CasOutcome.OK) {
                        version++;
                        updates++;
                    } else {
                        ok = false;
                    }
                }
                if (ok) {
                    done++;
                }
                long now = System.nanoTime();
                latencies[base + i] = now - t;
                t = now;
            }
            c.version[index] = version;
            c.memoryUpdates[index] = updates;
            c.opsDone[index] = done;
        }
    }

    /** Takes, encodes, decodes and checks a snapshot at once, then every {@value #SNAPSHOT_EVERY_MS} ms. */
    private static final class Snapshotter {
        final Thread thread;
        private final CountDownLatch stop = new CountDownLatch(1);
        volatile long taken;
        volatile long good;
        volatile int bytes;

        Snapshotter(Colony colony, Histogram latency) {
            thread = Thread.ofPlatform().name("load-snapshots").daemon().unstarted(() -> {
                try {
                    do {
                        long start = System.nanoTime();
                        Snapshot snapshot = colony.state().snapshot();
                        byte[] encoded = SnapshotCodec.encode(snapshot);
                        Snapshot decoded = SnapshotCodec.decode(encoded);
                        boolean equal = Arrays.equals(SnapshotCodec.encode(decoded), encoded);
                        long end = System.nanoTime();
                        if (latency != null) {
                            latency.recordValue(end - start);
                        }
                        bytes = encoded.length;
                        taken++;
                        if (equal) {
                            good++;
                        }
                    } while (!stop.await(SNAPSHOT_EVERY_MS, TimeUnit.MILLISECONDS));
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

    private static void count(Event event, int[] perAgent, LongAdder wrong) {
        if (event.payload() instanceof Op op) {
            perAgent[op.agent()]++; // DIRECT: on the publishing agent's own thread
        } else {
            wrong.increment();
        }
    }

    private static long sum(int[] values) {
        long total = 0;
        for (int v : values) {
            total += v;
        }
        return total;
    }

    private static void awaitRunning(List<AgentHandle> handles) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (AgentHandle handle : handles) {
            while (handle.status() != AgentRunState.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(handle.id() + " is " + handle.status() + ", not RUNNING");
                }
                Thread.sleep(0, 10_000); // spinning would take a core from the carriers
            }
        }
    }

    private static void awaitCount(LongAdder seen, long expected) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (seen.sum() < expected && System.nanoTime() < deadline) {
            Thread.yield(); // not a busy spin: on two cores it would take a core from the inboxes
        }
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
