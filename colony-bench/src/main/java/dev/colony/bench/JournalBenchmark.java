package dev.colony.bench;

import dev.colony.bus.EventBus;
import dev.colony.state.CoordinationState;
import dev.colony.state.Durability;
import dev.colony.state.DurableState;
import dev.colony.state.FsyncPolicy;
import dev.colony.state.StateOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does durability cost a write? One shared-memory put (one journal record of about 80 bytes) per
 * operation, on the durable state under each {@link FsyncPolicy}, against the in-memory state
 * ({@code NONE}, the baseline, same run). {@code put} runs one thread; {@code put4} four threads, where
 * {@code BATCHED} shares each device flush among the writers waiting for it (group commit).
 *
 * <p>Each iteration starts with a checkpoint, so the journal stays one iteration long.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JournalBenchmark {

    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"NONE", "OS", "BATCHED", "EVERY_OPERATION"})
        String fsync;

        final AtomicInteger threads = new AtomicInteger();
        final byte[] value = new byte[16];
        Path directory;
        EventBus bus;
        CoordinationState state;

        @Setup(Level.Trial)
        public void open() throws IOException {
            bus = EventBus.create();
            StateOptions options = StateOptions.defaults().withSweepInterval(Duration.ZERO);
            if (fsync.equals("NONE")) {
                state = CoordinationState.create(bus, options);
            } else {
                directory = Files.createTempDirectory("colony-journal-bench");
                state = CoordinationState.open(
                        bus, options, Durability.in(directory).withFsync(FsyncPolicy.valueOf(fsync)));
            }
        }

        @Setup(Level.Iteration)
        public void checkpoint() {
            if (state instanceof DurableState durable) {
                durable.checkpoint();
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            state.close();
            bus.close();
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> {
                        try {
                            Files.delete(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        }
    }

    /** Each thread writes its own key. */
    @State(Scope.Thread)
    public static class Writer {
        String key;

        @Setup(Level.Trial)
        public void name(Shared shared) {
            key = "k" + shared.threads.incrementAndGet();
        }
    }

    @Benchmark
    @Threads(1)
    public Object put(Shared shared, Writer writer) {
        return shared.state.memory().put("bench", writer.key, shared.value);
    }

    @Benchmark
    @Threads(4)
    public Object put4(Shared shared, Writer writer) {
        return shared.state.memory().put("bench", writer.key, shared.value);
    }
}
