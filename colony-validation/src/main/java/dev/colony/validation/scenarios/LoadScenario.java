package dev.colony.cli.bench;

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
final class LoadScenario implements Scenario {
    static final int DEFAULT_AGENTS = 100;
    static final int MAX_AGENTS = 100_000;
    static final int OPS = 100;
    static final int MESSAGE_EVERY = 10;
    static final int MEMORY_EVERY = 20;
    static final int SUBSCRIBERS = 2;
    static final long SNAPSHOT_EVERY_MS = 100;
    static final double GOAL_OPS_PER_SEC = 2_000_000;
    static final double GOAL_SPAWN_MS = 500;
    static final double GOAL_HEAP_PER_AGENT = 2048;
    static final int GOAL_AGENTS = 10_000;
    static final String NAMESPACE = "load";
    static final String PING = "load.ping";
    static final String GO = "load.go";

    private final int agents;

    LoadScenario() {
        this(DEFAULT_AGENTS);
    }

    LoadScenario(int agents) {
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
        return "load";
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

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        int n = agents;
        AgentId[] ids = new AgentId[n];
        Subject[] subjects = new Subject[n];
        Op[] ops = new Op[n];
        Ping[] pings = new Ping[n];
        String[] keys = new String[n];
        for (int a = 0; a < n; a++) {
            ids[a] = AgentId.of("load-" + a);
            subjects[a] = Subject.of("load." + a + ".op");
            ops[a] = new Op(a);
            pings[a] = new Ping(a);
            keys[a] = "agent-" + a;
        }
        byte[] value = {1, 2, 3, 4, 5, 6, 7, 8};
        long[] latencies = new long[n * OPS];
        Counters c = new Counters();

        Measurement m = new Measurement((long) n * OPS);
        Histogram snapshotLatency = new Histogram(3_600_000_000_000L, 3);
        Map<String, long[]> counts = new LinkedHashMap<>(); // name -> {expected, observed}
        for (String name : List.of(
                "ops", "events_delivered", "messages_received", "memory_updates", "keys_at_version", "snapshots")) {
            counts.put(name, new long[2]);
        }
        long spawnNanos;
        long heapPerAgent;
        int snapshotBytes = 0;
        long snapshotsTotal = 0;

        double coldSpawnMs = Double.NaN;
        int warmupAgents = Math.min(n, GOAL_AGENTS);
        if (settings.warmup() > 0) {
            settings.progress("load: warm-up spawn of %,d idle agents in a throwaway colony", warmupAgents);
            try (Colony warm = Colony.embedded()) {
                long warmStart = System.nanoTime();
                List<AgentHandle> handles = new ArrayList<>(warmupAgents);
                for (int a = 0; a < warmupAgents; a++) {
                    handles.add(warm.spawn(AgentSpec.of(AgentId.of("warm-" + a), "load"), (ctx, message) -> {}));
                }
                awaitRunning(handles);
                coldSpawnMs = (System.nanoTime() - warmStart) / 1e6;
            }
        }

        try (Colony colony = Colony.embedded()) {
            EventBus bus = colony.bus();
            bus.subscribe(
                    SubjectPattern.of("load.>"),
                    event -> count(event, c.deliveriesAll, c.wrong),
                    SubscribeOptions.direct().withName("load.>"));
            bus.subscribe(
                    SubjectPattern.of("load.*.op"),
                    event -> count(event, c.deliveriesOp, c.wrong),
                    SubscribeOptions.direct().withName("load.*.op"));

            settings.progress("load: spawning %,d agents", n);
            long before = usedAfterGc();
            long spawnStart = System.nanoTime();
            List<AgentHandle> handles = new ArrayList<>(n);
            for (int a = 0; a < n; a++) {
                Behavior behavior =
                        new LoadAgent(a, ids[(a + 1) % n], subjects[a], ops[a], pings[a], keys[a], value, latencies, c);
                handles.add(colony.spawn(AgentSpec.of(ids[a], "load"), behavior));
            }
            awaitRunning(handles);
            spawnNanos = System.nanoTime() - spawnStart;
            heapPerAgent = (usedAfterGc() - before) / n;
            settings.progress(
                    "load: %,d agents RUNNING in %.1f ms, %,d B of heap per agent; %d warm-up + %d measured iterations",
                    n, spawnNanos / 1e6, heapPerAgent, settings.warmup(), settings.iterations());

            AgentId driver = AgentId.of("load-driver");
            for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
                boolean measured = it >= settings.warmup();
                c.reset();
                Round round = new Round(new CountDownLatch(n), new CountDownLatch(1), new CountDownLatch(n));
                for (int a = 0; a < n; a++) {
                    if (colony.messenger().send(Envelope.of(driver, ids[a], GO, round)) != SendOutcome.DELIVERED) {
                        throw new IllegalStateException("could not start agent " + ids[a]);
                    }
                }
                round.ready().await();
                Snapshotter snapshotter = new Snapshotter(colony, measured ? snapshotLatency : null);
                long start = System.nanoTime();
                snapshotter.thread.start();
                round.gate().countDown();
                round.done().await();
                awaitCount(c.receivedTotal, (long) n * (OPS / MESSAGE_EVERY));
                long elapsed = System.nanoTime() - start;
                snapshotter.stop();
                Throwable failure = c.failure.get();
                if (failure != null) {
                    throw new IllegalStateException("an agent failed: " + failure, failure);
                }

                long[] expected = {
                    (long) n * OPS,
                    (long) n * OPS * SUBSCRIBERS,
                    (long) n * (OPS / MESSAGE_EVERY),
                    (long) n * (OPS / MEMORY_EVERY),
                    n,
                    snapshotter.taken
                };
                long keysAtVersion = 0;
                long wantVersion = (long) (it + 1) * (OPS / MEMORY_EVERY);
                SharedMemory memory = colony.memory();
                for (int a = 0; a < n; a++) {
                    Optional<MemoryEntry> entry = memory.get(NAMESPACE, keys[a]);
                    if (entry.isPresent() && entry.get().version() == wantVersion && c.version[a] == wantVersion) {
                        keysAtVersion++;
                    }
                }
                long[] observed = {
                    sum(c.opsDone),
                    sum(c.deliveriesAll) + sum(c.deliveriesOp),
                    sum(c.received),
                    sum(c.memoryUpdates),
                    keysAtVersion,
                    snapshotter.good
                };
                snapshotBytes = snapshotter.bytes;
                if (measured) {
                    long exp = 0;
                    long obs = 0;
                    int i = 0;
                    for (long[] pair : counts.values()) {
                        pair[0] += expected[i];
                        pair[1] += observed[i];
                        exp += expected[i];
                        obs += observed[i];
                        i++;
                    }
                    snapshotsTotal += snapshotter.taken;
                    for (long latency : latencies) {
                        m.latency.recordValue(latency);
                    }
                    m.iteration(elapsed, exp, obs);
                }
            }
            settings.progress("load: stopping %,d agents", n);
        }
        if (c.wrong.sum() != 0) {
            throw new IllegalStateException(c.wrong.sum() + " deliveries or messages carried the wrong content");
        }

        settings.progress(
                "load: baseline (plain virtual threads), %d warm-up + %d measured iterations",
                settings.warmup(), settings.iterations());
        Measurement plain = LoadBaseline.run(settings, n);

        double spawnMs = spawnNanos / 1e6;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("agents", n);
        details.put("ops_per_agent", OPS);
        details.put(
                "op",
                "publish to load.<agent>.op (2 DIRECT subscribers: load.> and load.*.op); every 10th op also a"
                        + " message by reference to the next agent; every 20th also a CAS of the agent's own key");
        details.put("threads", "each agent runs its ops on its own inbox virtual thread; agents released together");
        details.put(
                "latency_basis",
                "each op, including its deliveries and any send or CAS; consecutive nanoTime readings per agent");
        details.putAll(m.spread());
        Map<String, Object> verified = new LinkedHashMap<>();
        counts.forEach((name, pair) -> verified.put(name, new ScenarioResult.Verified(pair[0], pair[1])));
        details.put("counts", verified);
        details.put("spawn_ms", Measurement.round(spawnMs));
        details.put(
                "spawn_basis",
                "colony.spawn of every agent until all are RUNNING, once per run, after a warm-up spawn of"
                        + " min(N, 10,000) idle agents in a throwaway colony (when --warmup > 0)");
        if (!Double.isNaN(coldSpawnMs)) {
            details.put("warmup_spawn_agents", warmupAgents);
            details.put("warmup_spawn_ms", Measurement.round(coldSpawnMs));
        }
        details.put("heap_per_agent_bytes", heapPerAgent);
        details.put("heap_basis", "used heap after GC, after spawning minus before, divided by the agents");
        Map<String, Object> snapshots = new LinkedHashMap<>();
        snapshots.put("interval_ms", SNAPSHOT_EVERY_MS);
        snapshots.put("taken", snapshotsTotal);
        snapshots.put("bytes_last", snapshotBytes);
        snapshots.put("latency_us", latency(snapshotLatency));
        snapshots.put(
                "latency_basis", "snapshot() + encode + decode + re-encode and compare, concurrent with the agents");
        details.put("snapshots", snapshots);
        Map<String, Object> goals = new LinkedHashMap<>();
        goals.put("applies_to_agents", GOAL_AGENTS);
        goals.put("ops_per_sec_min", GOAL_OPS_PER_SEC);
        goals.put("spawn_ms_max", GOAL_SPAWN_MS);
        goals.put("heap_per_agent_bytes_max", GOAL_HEAP_PER_AGENT);
        if (n == GOAL_AGENTS) {
            goals.put("ops_met", m.throughput() >= GOAL_OPS_PER_SEC);
            goals.put("spawn_met", spawnMs <= GOAL_SPAWN_MS);
            goals.put("heap_met", heapPerAgent <= GOAL_HEAP_PER_AGENT);
        }
        details.put("goals", goals);

        return new ScenarioResult(
                        name(),
                        m.operations(),
                        m.iterations(),
                        Measurement.round(m.medianSeconds()),
                        Measurement.round(m.throughput()),
                        m.latencyUs(),
                        new ScenarioResult.Verified(m.expected(), m.observed()),
                        ScenarioResult.ORIGINAL_TARGET,
                        m.verified() && m.throughput() >= ScenarioResult.ORIGINAL_TARGET.min(),
                        details)
                .with(
                        m.perIteration(),
                        ScenarioResult.Baseline.of(
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

    private static Map<String, Object> latency(Histogram h) {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (h.getTotalCount() == 0) {
            return figures;
        }
        figures.put("p50", Measurement.micros(h.getValueAtPercentile(50)));
        figures.put("p99", Measurement.micros(h.getValueAtPercentile(99)));
        figures.put("max", Measurement.micros(h.getMaxValue()));
        figures.put("count", h.getTotalCount());
        return figures;
    }
}
