package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.bus.EventBus;
import dev.colony.state.CoordinationState;
import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    /** Latency percentiles of a part, in microseconds; only {@code count} when nothing was recorded. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Percentiles(Double p50, Double p95, Double p99, Double p999, Double max, long count) {
        static Percentiles of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Percentiles(null, null, null, null, null, 0);
            }
            return new Percentiles(
                    Measurement.micros(h.getValueAtPercentile(50)),
                    Measurement.micros(h.getValueAtPercentile(95)),
                    Measurement.micros(h.getValueAtPercentile(99)),
                    Measurement.micros(h.getValueAtPercentile(99.9)),
                    Measurement.micros(h.getMaxValue()),
                    h.getTotalCount());
        }
    }

    /** The parts of one state size's time: snapshot, encode, and the checked snapshots' decode and restore. */
    private record Parts(
            @JsonUnwrapped ThroughputSpread spread,
            Percentiles snapshotUs,
            Percentiles encodeUs,
            int checkedEvery,
            Percentiles decodeUs,
            Percentiles restoreUs,
            String restoreBasis) {}

    /** The shape of a state of {@code agents} agents. */
    private record Shape(
            int agents, int tasksWithProgress, int memoryEntries, int queuedTasks, int leaderTerm, String mapping) {}

    /** A bigger state's figures. */
    private record Scaled(
            Shape state,
            int bytesPerSnapshot,
            long snapshotsPerIteration,
            int iterations,
            double throughputPerSec,
            ScenarioResult.Latency latencyUs,
            @JsonUnwrapped Parts parts,
            ScenarioResult.Verified verified) {}

    /** Stock Jackson encoding the same snapshots. */
    private record JacksonFigures(
            String what,
            int bytesPerSnapshot,
            Percentiles latencyUs,
            Percentiles encodeUs,
            double ratio,
            String ratioBasis) {}

    /** How long a concurrent writer is held up by snapshots. */
    private record WriterHoldUp(
            String what,
            Percentiles writerAloneUs,
            Percentiles writerDuringSnapshotsUs,
            long snapshotsTakenMeanwhile,
            Percentiles snapshotLockSectionUs,
            double writerP99Us,
            double writerMaxUs) {}

    /** The figures under {@code details}. */
    private record Details(
            Shape state,
            String format,
            int bytesPerSnapshot,
            String latencyBasis,
            @JsonUnwrapped Parts parts,
            JacksonFigures jacksonBaseline,
            WriterHoldUp writerHoldUp,
            @JsonProperty("state_100kb") Scaled state100kb,
            @JsonProperty("state_1mb") Scaled state1mb) {}

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        try (EventBus restoreBus = EventBus.create()) {
            Run base;
            Run jackson;
            try (SnapshotWorkload workload = new SnapshotWorkload(SnapshotWorkload.AGENTS)) {
                base = measure(settings, "snapshot: " + workload.agents + " agents", workload, SNAPSHOTS, restoreBus);
                jackson = jackson(settings, workload);
            }
            settings.progress("snapshot: a concurrent writer, alone and while snapshots are taken");
            WriterHoldUp writers = writers(settings);
            Run kb100 = scaled(settings, 100_000, base.bytes, SNAPSHOTS, restoreBus);
            Run mb1 = scaled(settings, 1_000_000, base.bytes, LARGE_SNAPSHOTS, restoreBus);
            Details details = new Details(
                    shape(SnapshotWorkload.AGENTS),
                    "binary v1, CRC32C, uncompressed",
                    base.bytes,
                    "snapshot() + encode to bytes, every measured snapshot (the state change between snapshots is"
                            + " not timed)",
                    base.parts(),
                    jacksonFigures(jackson, base),
                    writers,
                    kb100.scaled(),
                    mb1.scaled());
            Measurement m = base.m;
            return ScenarioResult.of(name(), m, ScenarioResult.verified(m, kb100.m, mb1.m), TARGET, true, details)
                    .with(ScenarioResult.Baseline.of(
                            "plain Jackson",
                            "the same state changes and snapshot() calls, encoded by a stock Jackson JsonMapper"
                                    + " instead of the binary codec; every 100th JSON decoded back into a Snapshot by"
                                    + " Jackson and re-encoded to the same bytes (Jackson has no restore: this is its"
                                    + " check)",
                            jackson.m,
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

        Parts parts() {
            return new Parts(
                    m.spread(),
                    Percentiles.of(snapshotOnly),
                    Percentiles.of(encodeOnly),
                    CHECK_EVERY,
                    Percentiles.of(decode),
                    Percentiles.of(restore),
                    "CoordinationState.restore(decoded) into a fresh state; then a snapshot of it must encode to the"
                            + " same bytes");
        }

        Scaled scaled() {
            return new Scaled(
                    shape(agents),
                    bytes,
                    m.operations(),
                    m.iterations(),
                    Measurement.round(m.throughput()),
                    m.latencyUs(),
                    parts(),
                    new ScenarioResult.Verified(m.expected(), m.observed()));
        }
    }

    private static Run scaled(BenchSettings settings, int targetBytes, int baseBytes, int snapshots, EventBus bus)
            throws Exception {
        int agents = Math.max(1, (int) Math.round((double) SnapshotWorkload.AGENTS * targetBytes / baseBytes));
        String what = String.format("snapshot: ~%,d bytes, %d agents", targetBytes, agents);
        try (SnapshotWorkload workload = new SnapshotWorkload(agents)) {
            return measure(settings, what, workload, snapshots, bus);
        }
    }

    /** Encodes a snapshot and checks one encoding; {@code measured} says whether the check's parts are timed. */
    private interface Codec {
        byte[] encode(Snapshot snapshot);

        boolean check(byte[] encoded, boolean measured);
    }

    /** Colony's binary codec; every checked snapshot is decoded, restored and compared. */
    private static Run measure(
            BenchSettings settings, String what, SnapshotWorkload workload, int snapshots, EventBus bus)
            throws Exception {
        Histogram decode = histogram();
        Histogram restore = histogram();
        Codec codec = new Codec() {
            @Override
            public byte[] encode(Snapshot snapshot) {
                return SnapshotCodec.encode(snapshot);
            }

            @Override
            public boolean check(byte[] encoded, boolean measured) {
                return restoresEqual(encoded, bus, measured ? decode : null, measured ? restore : null);
            }
        };
        Run run = snapshots(settings, what, workload, snapshots, 0, codec);
        return new Run(run.m, run.agents, run.bytes, run.snapshotOnly, run.encodeOnly, decode, restore);
    }

    /**
     * The one snapshot loop: iterations of {@code snapshots} state changes, each followed by a timed snapshot()
     * and encode; an iteration's time is the sum of those, and every {@value #CHECK_EVERY}th encoding is checked.
     */
    private static Run snapshots(
            BenchSettings settings, String what, SnapshotWorkload workload, int snapshots, int firstChange, Codec codec)
            throws Exception {
        Histogram snapshotOnly = histogram();
        Histogram encodeOnly = histogram();
        int[] bytes = new int[1];
        int[] change = {firstChange};
        Measurement m = Loop.measure(settings, what, snapshots, it -> {
            boolean measured = it >= settings.warmup();
            Histogram latency = histogram();
            long elapsed = 0;
            long observed = 0;
            for (int i = 0; i < snapshots; i++) {
                workload.change(change[0]++);
                long start = System.nanoTime();
                Snapshot snapshot = workload.state.snapshot();
                long taken = System.nanoTime();
                byte[] encoded = codec.encode(snapshot);
                long end = System.nanoTime();
                elapsed += end - start;
                bytes[0] = encoded.length;
                latency.recordValue(end - start);
                if (measured) {
                    snapshotOnly.recordValue(taken - start);
                    encodeOnly.recordValue(end - taken);
                }
                if (i % CHECK_EVERY == CHECK_EVERY - 1 && codec.check(encoded, measured)) {
                    observed++;
                }
            }
            return new Loop.Tally(elapsed, snapshots / CHECK_EVERY, observed, latency);
        });
        return new Run(m, workload.agents, bytes[0], snapshotOnly, encodeOnly, histogram(), histogram());
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
     * {@value #CHECK_EVERY}th JSON is decoded back into a {@link Snapshot} by Jackson and must re-encode to the
     * same bytes (Jackson has no restore path, so that is the check a plain Jackson user has).
     */
    private static Run jackson(BenchSettings settings, SnapshotWorkload workload) throws Exception {
        JsonMapper mapper = JsonMapper.builder().build();
        Codec codec = new Codec() {
            @Override
            public byte[] encode(Snapshot snapshot) {
                return mapper.writeValueAsBytes(snapshot);
            }

            @Override
            public boolean check(byte[] json, boolean measured) {
                return jacksonRoundTrips(mapper, json);
            }
        };
        return snapshots(settings, "snapshot: Jackson baseline", workload, SNAPSHOTS, 1_000_000, codec);
    }

    /** The Jackson baseline's figures; the ratio compares the p50 of snapshot() + encode. */
    private static JacksonFigures jacksonFigures(Run jackson, Run colony) {
        double ratio = (double) jackson.m.latency.getValueAtPercentile(50) / colony.m.latency.getValueAtPercentile(50);
        return new JacksonFigures(
                "snapshot() + JsonMapper.builder().build().writeValueAsBytes(the same Snapshot records)",
                jackson.bytes,
                Percentiles.of(jackson.m.latency),
                Percentiles.of(jackson.encodeOnly),
                Measurement.round(ratio),
                "Jackson p50 / Colony p50, snapshot() + encode");
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
    private static WriterHoldUp writers(BenchSettings settings) throws InterruptedException {
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
            return new WriterHoldUp(
                    "a platform thread doing shared-memory puts, each timed; alone, then while snapshots are taken",
                    Percentiles.of(alone),
                    Percentiles.of(during),
                    snapshotTimes[0].getTotalCount(),
                    Percentiles.of(snapshotTimes[0]),
                    Measurement.micros(during.getValueAtPercentile(99)),
                    Measurement.micros(during.getMaxValue()));
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

    private static Shape shape(int agents) {
        return new Shape(
                agents,
                agents * SnapshotWorkload.TASKS_PER_AGENT,
                2 * agents,
                Math.max(1, agents / 2),
                5,
                "agents: registered agents (IDLE/BUSY, metadata); each agent's 10 {taskId, progress}: one"
                        + " shared-memory entry progress/<agent> listing them; its 100-char memory: memory/<agent>; the"
                        + " queue: QUEUED tasks, priorities 0-9; leader: election group 'swarm', term 5");
    }

    private static Histogram histogram() {
        return new Histogram(3_600_000_000_000L, 3);
    }
}
