package dev.colony.cli.bench;

import dev.colony.bus.EventBus;
import dev.colony.state.CoordinationState;
import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code snapshot}: the original report's state (100 agents with status, 10 tasks with progress and a
 * 100-character memory each; a 50-task queue with priorities; a leader with its term) held in Colony's real
 * {@link CoordinationState} ({@link SnapshotWorkload} documents the mapping), about 60 KB in the binary
 * format. Each iteration changes the state (a heartbeat and a progress update), then takes a snapshot and
 * encodes it to bytes (binary, CRC32C), {@value #SNAPSHOTS} times; every {@value #CHECK_EVERY}th snapshot is
 * decoded, restored into a fresh state and snapshotted again, and counts only if the bytes are equal.
 *
 * <p>Also in the same run: a stock Jackson encode of the same snapshots (the baseline), how long a
 * concurrent writer is held up while snapshots are taken (against the same writer alone), and 100 KB and
 * 1 MB states (the agent count scaled).
 */
final class SnapshotScenario implements Scenario {
    static final int SNAPSHOTS = 1_000;
    static final int LARGE_SNAPSHOTS = 200;
    static final int CHECK_EVERY = 100;
    static final double GOAL_P50_US = 50;
    static final double GOAL_P99_US = 200;
    static final double GOAL_JACKSON_RATIO = 2;
    static final double GOAL_1MB_P50_US = 1_000;
    static final ScenarioResult.Target TARGET = new ScenarioResult.Target("throughput_per_sec", 1_000);

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public String description() {
        return "1,000 snapshots of a changing ~60 KB state to checksummed bytes, every 100th restored and compared;"
                + " Jackson baseline, writer hold-up, 100 KB and 1 MB";
    }

    @Override
    public int defaultWarmup() {
        return 10;
    }

    @Override
    public int defaultIterations() {
        return 10;
    }

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        Map<String, Object> details = new LinkedHashMap<>();
        Run base;
        Map<String, Object> jackson;
        Map<String, Object> writers;
        Measurement[] jacksonRun = new Measurement[1];
        try (EventBus restoreBus = EventBus.create()) {
            try (SnapshotWorkload workload = new SnapshotWorkload(SnapshotWorkload.AGENTS)) {
                settings.progress("snapshot: %d agents, %d snapshots per iteration", workload.agents, SNAPSHOTS);
                base = measure(settings, workload, SNAPSHOTS, restoreBus);
                settings.progress("snapshot: Jackson baseline");
                jackson = jackson(settings, workload, base, jacksonRun);
            }
            settings.progress("snapshot: a concurrent writer, alone and while snapshots are taken");
            writers = writers(settings);
            details.put("state", shape(SnapshotWorkload.AGENTS));
            details.put("format", "binary v1, CRC32C, uncompressed");
            details.put("bytes_per_snapshot", base.bytes);
            details.put(
                    "latency_basis",
                    "snapshot() + encode to bytes, every measured snapshot (the state change"
                            + " between snapshots is not timed)");
            details.putAll(base.figures());
            details.put("jackson_baseline", jackson);
            details.put("writer_hold_up", writers);
            details.put("goal_p50_us_max", GOAL_P50_US);
            details.put("goal_p99_us_max", GOAL_P99_US);
            details.put(
                    "goal_met",
                    base.m.latencyUs().p50() <= GOAL_P50_US
                            && base.m.latencyUs().p99() <= GOAL_P99_US
                            && (double) jackson.get("ratio") >= GOAL_JACKSON_RATIO);
            Run kb100 = scaled(settings, 100_000, base.bytes, SNAPSHOTS, restoreBus);
            details.put("state_100kb", kb100.scaledFigures(Double.NaN));
            Run mb1 = scaled(settings, 1_000_000, base.bytes, LARGE_SNAPSHOTS, restoreBus);
            details.put("state_1mb", mb1.scaledFigures(GOAL_1MB_P50_US));
            boolean verified = base.m.verified() && kb100.m.verified() && mb1.m.verified();
            Measurement m = base.m;
            ScenarioResult result = new ScenarioResult(
                    name(),
                    m.operations(),
                    m.iterations(),
                    Measurement.round(m.medianSeconds()),
                    Measurement.round(m.throughput()),
                    m.latencyUs(),
                    new ScenarioResult.Verified(
                            m.expected() + kb100.m.expected() + mb1.m.expected(),
                            m.observed() + kb100.m.observed() + mb1.m.observed()),
                    TARGET,
                    verified && m.throughput() >= TARGET.min(),
                    details);
            return result.with(
                    m.perIteration(),
                    ScenarioResult.Baseline.of(
                            "plain Jackson",
                            "the same state changes and snapshot() calls, encoded by a stock Jackson JsonMapper"
                                    + " instead of the binary codec; every 100th JSON decoded back into a Snapshot by"
                                    + " Jackson and re-encoded to the same bytes (Jackson has no restore: this is its"
                                    + " check)",
                            jacksonRun[0],
                            m,
                            true));
        }
    }

    /** The figures of one state size: the headline measurement plus its parts. */
    private record Run(
            Measurement m,
            int agents,
            int bytes,
            Histogram snapshotOnly,
            Histogram encodeOnly,
            Histogram decode,
            Histogram restore) {

        Map<String, Object> figures() {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.putAll(m.spread());
            figures.put("snapshot_us", percentiles(snapshotOnly));
            figures.put("encode_us", percentiles(encodeOnly));
            figures.put("checked_every", CHECK_EVERY);
            figures.put("decode_us", percentiles(decode));
            figures.put("restore_us", percentiles(restore));
            figures.put(
                    "restore_basis",
                    "CoordinationState.restore(decoded) into a fresh state; then a snapshot of it must encode to the"
                            + " same bytes");
            return figures;
        }

        Map<String, Object> scaledFigures(double goalP50Us) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("state", shape(agents));
            figures.put("bytes_per_snapshot", bytes);
            figures.put("snapshots_per_iteration", m.operations());
            figures.put("iterations", m.iterations());
            figures.put("throughput_per_sec", Measurement.round(m.throughput()));
            figures.put("latency_us", m.latencyUs());
            figures.putAll(figures());
            figures.put("verified", new ScenarioResult.Verified(m.expected(), m.observed()));
            if (!Double.isNaN(goalP50Us)) {
                figures.put("goal_p50_us_max", goalP50Us);
                figures.put("goal_met", m.latencyUs().p50() <= goalP50Us);
            }
            return figures;
        }
    }

    private static Run scaled(BenchSettings settings, int targetBytes, int baseBytes, int snapshots, EventBus bus) {
        int agents = Math.max(1, (int) Math.round((double) SnapshotWorkload.AGENTS * targetBytes / baseBytes));
        settings.progress(
                "snapshot: ~%,d bytes, %d agents, %d snapshots per iteration", targetBytes, agents, snapshots);
        try (SnapshotWorkload workload = new SnapshotWorkload(agents)) {
            return measure(settings, workload, snapshots, bus);
        }
    }

    /**
     * Warm-up and measured iterations of {@code snapshots} snapshots each; an iteration's time is the sum
     * of its snapshot() + encode times.
     */
    private static Run measure(BenchSettings settings, SnapshotWorkload workload, int snapshots, EventBus bus) {
        Measurement m = new Measurement(snapshots);
        Histogram snapshotOnly = histogram();
        Histogram encodeOnly = histogram();
        Histogram decode = histogram();
        Histogram restore = histogram();
        int bytes = 0;
        int change = 0;
        for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
            boolean measured = it >= settings.warmup();
            long elapsed = 0;
            long expected = 0;
            long observed = 0;
            for (int i = 0; i < snapshots; i++) {
                workload.change(change++);
                long start = System.nanoTime();
                Snapshot snapshot = workload.state.snapshot();
                long taken = System.nanoTime();
                byte[] encoded = SnapshotCodec.encode(snapshot);
                long end = System.nanoTime();
                elapsed += end - start;
                bytes = encoded.length;
                if (measured) {
                    m.latency.recordValue(end - start);
                    snapshotOnly.recordValue(taken - start);
                    encodeOnly.recordValue(end - taken);
                }
                if (i % CHECK_EVERY == CHECK_EVERY - 1) {
                    expected++;
                    if (restoresEqual(encoded, bus, measured ? decode : null, measured ? restore : null)) {
                        observed++;
                    }
                }
            }
            if (measured) {
                m.iteration(elapsed, expected, observed);
            }
        }
        return new Run(m, workload.agents, bytes, snapshotOnly, encodeOnly, decode, restore);
    }

    /** Decodes {@code encoded}, restores it into a fresh state, and checks both re-encode to the same bytes. */
    private static boolean restoresEqual(byte[] encoded, EventBus bus, Histogram decodeTime, Histogram restoreTime) {
        long start = System.nanoTime();
        Snapshot decoded = SnapshotCodec.decode(encoded);
        long decodedAt = System.nanoTime();
        // the fresh state's clock stands at the snapshot's time, so its own snapshot carries the same time
        SnapshotWorkload.SettableClock clock = new SnapshotWorkload.SettableClock(decoded.takenAt());
        try (CoordinationState fresh = CoordinationState.create(bus, SnapshotWorkload.options(clock))) {
            long restoreStart = System.nanoTime();
            fresh.restore(decoded);
            long restored = System.nanoTime();
            if (decodeTime != null) {
                decodeTime.recordValue(decodedAt - start);
                restoreTime.recordValue(restored - restoreStart);
            }
            return Arrays.equals(SnapshotCodec.encode(decoded), encoded)
                    && Arrays.equals(SnapshotCodec.encode(fresh.snapshot()), encoded);
        }
    }

    /**
     * Stock Jackson (a default {@link JsonMapper}) encoding the same {@link Snapshot} records, with the same
     * state changes between snapshots and the same timing (snapshot() + encode, summed per iteration); every
     * {@value #CHECK_EVERY}th JSON is decoded back into a {@link Snapshot} by Jackson and must re-encode to the same
     * bytes (Jackson has no restore path, so that is the check a plain Jackson user has). The ratio in details compares the p50.
     */
    private static Map<String, Object> jackson(
            BenchSettings settings, SnapshotWorkload workload, Run colony, Measurement[] out) {
        JsonMapper mapper = JsonMapper.builder().build();
        Measurement m = new Measurement(SNAPSHOTS);
        Histogram encodeOnly = histogram();
        int bytes = 0;
        int change = 1_000_000;
        for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
            boolean measured = it >= settings.warmup();
            long elapsed = 0;
            long expected = 0;
            long observed = 0;
            for (int i = 0; i < SNAPSHOTS; i++) {
                workload.change(change++);
                long start = System.nanoTime();
                Snapshot snapshot = workload.state.snapshot();
                long taken = System.nanoTime();
                byte[] json = mapper.writeValueAsBytes(snapshot);
                long end = System.nanoTime();
                elapsed += end - start;
                bytes = json.length;
                if (measured) {
                    m.latency.recordValue(end - start);
                    encodeOnly.recordValue(end - taken);
                }
                if (i % CHECK_EVERY == CHECK_EVERY - 1) {
                    expected++;
                    if (jacksonRoundTrips(mapper, json)) {
                        observed++;
                    }
                }
            }
            if (measured) {
                m.iteration(elapsed, expected, observed);
            }
        }
        out[0] = m;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("what", "snapshot() + JsonMapper.builder().build().writeValueAsBytes(the same Snapshot records)");
        details.put("bytes_per_snapshot", bytes);
        details.put("latency_us", percentiles(m.latency));
        details.put("encode_us", percentiles(encodeOnly));
        double ratio = (double) m.latency.getValueAtPercentile(50) / colony.m.latency.getValueAtPercentile(50);
        details.put("ratio", Measurement.round(ratio));
        details.put("ratio_basis", "Jackson p50 / Colony p50, snapshot() + encode");
        details.put("goal_ratio_min", GOAL_JACKSON_RATIO);
        details.put("goal_met", ratio >= GOAL_JACKSON_RATIO);
        return details;
    }

    /** Decodes Jackson's JSON back into a {@link Snapshot} and checks it re-encodes to the same bytes. */
    private static boolean jacksonRoundTrips(JsonMapper mapper, byte[] json) {
        try {
            return Arrays.equals(mapper.writeValueAsBytes(mapper.readValue(json, Snapshot.class)), json);
        } catch (RuntimeException e) {
            System.err.println(e);
            return false;
        }
    }

    /**
     * How long a writer waits for the state lock that snapshot() holds: a writer on its own thread times each
     * of its memory puts, first alone, then while the main thread takes and encodes snapshots as fast as it
     * can. The difference in the tail is the hold-up (the rest is the machine: GC, scheduling).
     */
    private static Map<String, Object> writers(BenchSettings settings) throws InterruptedException {
        try (SnapshotWorkload workload = new SnapshotWorkload(SnapshotWorkload.AGENTS)) {
            int rounds = settings.warmup() + settings.iterations();
            Histogram alone = writerRun(workload, () -> {
                long until = System.nanoTime() + 20_000_000L * Math.max(1, settings.iterations());
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return 0;
            });
            Histogram[] snapshotTimes = new Histogram[1];
            Histogram during = writerRun(workload, () -> {
                Histogram taken = histogram();
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < SNAPSHOTS / 10; i++) {
                        long start = System.nanoTime();
                        Snapshot snapshot = workload.state.snapshot();
                        long end = System.nanoTime();
                        SnapshotCodec.encode(snapshot);
                        taken.recordValue(end - start);
                    }
                }
                snapshotTimes[0] = taken;
                return taken.getTotalCount();
            });
            Map<String, Object> details = new LinkedHashMap<>();
            details.put(
                    "what",
                    "a platform thread doing shared-memory puts, each timed; alone, then while snapshots are taken");
            details.put("writer_alone_us", percentiles(alone));
            details.put("writer_during_snapshots_us", percentiles(during));
            details.put("snapshots_taken_meanwhile", snapshotTimes[0].getTotalCount());
            details.put("snapshot_lock_section_us", percentiles(snapshotTimes[0]));
            details.put("writer_p99_us", Measurement.micros(during.getValueAtPercentile(99)));
            details.put("writer_max_us", Measurement.micros(during.getMaxValue()));
            return details;
        }
    }

    private interface MainWork {
        long run() throws Exception;
    }

    private static Histogram writerRun(SnapshotWorkload workload, MainWork main) throws InterruptedException {
        Histogram latency = histogram();
        AtomicBoolean stop = new AtomicBoolean();
        byte[] value = "0.50".getBytes(StandardCharsets.UTF_8);
        Thread writer = Thread.ofPlatform().name("snapshot-bench-writer").start(() -> {
            int n = 0;
            while (!stop.get()) {
                long start = System.nanoTime();
                workload.state.memory().put("writer", "key-" + (n++ % 100), value);
                latency.recordValue(System.nanoTime() - start);
            }
        });
        try {
            main.run();
        } catch (Exception e) {
            throw new IllegalStateException("snapshot writer run failed", e);
        } finally {
            stop.set(true);
            writer.join();
        }
        return latency;
    }

    private static Map<String, Object> shape(int agents) {
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("agents", agents);
        shape.put("tasks_with_progress", agents * SnapshotWorkload.TASKS_PER_AGENT);
        shape.put("memory_entries", 2 * agents);
        shape.put("queued_tasks", Math.max(1, agents / 2));
        shape.put("leader_term", 5);
        shape.put(
                "mapping",
                "agents: registered agents (IDLE/BUSY, metadata); each agent's 10 {taskId, progress}: one"
                        + " shared-memory entry progress/<agent> listing them; its 100-char memory: memory/<agent>; the queue:"
                        + " QUEUED tasks, priorities 0-9; leader: election group 'swarm', term 5");
        return shape;
    }

    private static Histogram histogram() {
        return new Histogram(3_600_000_000_000L, 3);
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (h.getTotalCount() == 0) {
            figures.put("count", 0);
            return figures;
        }
        figures.put("p50", Measurement.micros(h.getValueAtPercentile(50)));
        figures.put("p95", Measurement.micros(h.getValueAtPercentile(95)));
        figures.put("p99", Measurement.micros(h.getValueAtPercentile(99)));
        figures.put("p999", Measurement.micros(h.getValueAtPercentile(99.9)));
        figures.put("max", Measurement.micros(h.getMaxValue()));
        figures.put("count", h.getTotalCount());
        return figures;
    }
}
