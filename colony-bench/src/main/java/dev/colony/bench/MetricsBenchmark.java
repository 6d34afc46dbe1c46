package dev.colony.bench;

import dev.colony.metrics.Counter;
import dev.colony.metrics.MetricsRegistry;
import dev.colony.metrics.Timer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does recording a metric cost, next to the bare structure it wraps? Two threads increment one
 * registry {@link Counter} (a {@link LongAdder} behind a method) against a bare LongAdder, and record
 * latencies into one registry {@link Timer} (an HdrHistogram {@link Recorder} plus a LongAdder sum)
 * against a bare Recorder with the same precision. Recorded values are varied (1 µs to 1 ms, drawn before
 * the run) so the histogram does not see one value only.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
@State(Scope.Benchmark)
public class MetricsBenchmark {
    Counter counter;
    LongAdder adder;
    Timer timer;
    Recorder recorder;

    @Setup(Level.Trial)
    public void setUp() {
        MetricsRegistry registry = MetricsRegistry.create();
        counter = registry.counter("bench.ops", "Operations.");
        timer = registry.timer("bench.latency", "Latency.");
        adder = new LongAdder();
        recorder = new Recorder(2);
    }

    /** Each thread's latencies to record, cycled through. */
    @State(Scope.Thread)
    public static class Values {
        final long[] nanos = new long[1024];
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random =
                    new SplittableRandom(Thread.currentThread().threadId());
            for (int i = 0; i < nanos.length; i++) {
                nanos[i] = 1_000 + random.nextLong(1_000_000);
            }
        }

        long next() {
            return nanos[next++ & 1023];
        }
    }

    @Benchmark
    public void counterIncrement() {
        counter.increment();
    }

    @Benchmark
    public void baselineLongAdderIncrement() {
        adder.increment();
    }

    @Benchmark
    public void timerRecord(Values values) {
        timer.record(values.next());
    }

    @Benchmark
    public void baselineRecorderRecord(Values values) {
        recorder.recordValue(values.next());
    }
}
