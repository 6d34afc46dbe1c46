package dev.colony.bench;

import dev.colony.bus.EventBus;
import dev.colony.state.CasOutcome;
import dev.colony.state.CoordinationState;
import dev.colony.state.MemoryEntry;
import dev.colony.state.SharedMemory;
import dev.colony.state.StateOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * What does a shared-memory write cost behind the coordination state's one lock, alone and under
 * contention?
 *
 * <ul>
 *   <li>{@code casOneKey}: 4 threads increment one counter by get, compare-and-set, retry on mismatch;
 *       successful increments per second. Baseline {@code chmCasOneKey}: the same optimistic loop on a
 *       {@link ConcurrentHashMap} ({@code get} then {@code replace(key, old, new)}).
 *   <li>{@code casDistinctKeys}: 4 threads, each incrementing its own key: no version conflicts, but the
 *       state's lock is still shared by all of them.
 *   <li>{@code get}, {@code put}: one thread, one key, no contention.
 * </ul>
 *
 * Every teardown checks the final values exactly (no lost update), so a fast wrong answer fails the run.
 * The state announces each write on a bus with no subscriber, as an unwatched state would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SharedMemoryBenchmark {
    static final String NS = "bench";

    static CoordinationState newState(EventBus bus) {
        return CoordinationState.create(bus, StateOptions.defaults().withSweepInterval(Duration.ZERO));
    }

    static byte[] encode(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long decode(MemoryEntry entry) {
        return ByteBuffer.wrap(entry.value()).getLong();
    }

    /** One state shared by every thread of a trial, with the successful increments counted. */
    @State(Scope.Benchmark)
    public static class Shared {
        final LongAdder oneKey = new LongAdder();
        final LongAdder distinctKeys = new LongAdder();
        final ConcurrentHashMap<String, Long> chm = new ConcurrentHashMap<>();
        final LongAdder chmIncrements = new LongAdder();
        EventBus bus;
        CoordinationState state;
        SharedMemory memory;

        @Setup(Level.Trial)
        public void setUp() {
            bus = EventBus.create();
            state = newState(bus);
            memory = state.memory();
            chm.put("counter", 0L);
        }

        @TearDown(Level.Trial)
        public void tearDown(BenchmarkParams params) {
            check("counter", oneKey.sum());
            long total = 0;
            for (int t = 0; t < params.getThreads(); t++) {
                Optional<MemoryEntry> entry = memory.get(NS, "own." + t);
                if (entry.isPresent()) {
                    check("own." + t, entry.get().version());
                    total += decode(entry.get());
                }
            }
            if (total != distinctKeys.sum()) {
                throw new IllegalStateException(
                        "distinct keys sum to " + total + ", expected " + distinctKeys.sum() + " increments");
            }
            if (chm.get("counter") != chmIncrements.sum()) {
                throw new IllegalStateException(
                        "baseline counter " + chm.get("counter") + ", expected " + chmIncrements.sum());
            }
            state.close();
            bus.close();
        }

        private void check(String key, long expected) {
            Optional<MemoryEntry> entry = memory.get(NS, key);
            long value = entry.map(SharedMemoryBenchmark::decode).orElse(0L);
            long version = entry.map(MemoryEntry::version).orElse(0L);
            if (value != expected || version != expected) {
                throw new IllegalStateException(
                        key + " is " + value + " at version " + version + ", expected " + expected + " increments");
            }
        }
    }

    /** The key each thread of {@code casDistinctKeys} owns. */
    @State(Scope.Thread)
    public static class OwnKey {
        String key;

        @Setup(Level.Trial)
        public void setUp(ThreadParams params) {
            key = "own." + params.getThreadIndex();
        }
    }

    /** A state of one thread's own, for the uncontended operations. */
    @State(Scope.Thread)
    public static class Alone {
        final byte[] value = encode(42);
        EventBus bus;
        CoordinationState state;
        SharedMemory memory;
        long puts;

        @Setup(Level.Trial)
        public void setUp() {
            bus = EventBus.create();
            state = newState(bus);
            memory = state.memory();
            memory.put(NS, "fixed", value);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long version = memory.get(NS, "fixed").orElseThrow().version();
            if (version != puts + 1) {
                throw new IllegalStateException(
                        "version " + version + " after " + puts + " puts, expected " + (puts + 1));
            }
            state.close();
            bus.close();
        }
    }

    static long increment(SharedMemory memory, String key) {
        while (true) {
            Optional<MemoryEntry> current = memory.get(NS, key);
            long version = current.map(MemoryEntry::version).orElse(0L);
            long value = current.map(SharedMemoryBenchmark::decode).orElse(0L);
            if (memory.compareAndSet(NS, key, version, encode(value + 1), null, null) == CasOutcome.OK) {
                return value + 1;
            }
        }
    }

    @Benchmark
    @Threads(4)
    public long casOneKey(Shared shared) {
        long value = increment(shared.memory, "counter");
        shared.oneKey.increment();
        return value;
    }

    @Benchmark
    @Threads(4)
    public long chmCasOneKey(Shared shared) {
        while (true) {
            Long value = shared.chm.get("counter");
            if (shared.chm.replace("counter", value, value + 1)) {
                shared.chmIncrements.increment();
                return value + 1;
            }
        }
    }

    @Benchmark
    @Threads(4)
    public long casDistinctKeys(Shared shared, OwnKey own) {
        long value = increment(shared.memory, own.key);
        shared.distinctKeys.increment();
        return value;
    }

    @Benchmark
    public Optional<MemoryEntry> get(Alone alone) {
        return alone.memory.get(NS, "fixed");
    }

    @Benchmark
    public MemoryEntry put(Alone alone) {
        alone.puts++;
        return alone.memory.put(NS, "fixed", alone.value);
    }
}
