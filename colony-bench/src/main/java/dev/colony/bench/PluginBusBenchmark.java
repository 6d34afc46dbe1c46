package dev.colony.bench;

import dev.colony.wasm.bench.BusRound;
import dev.colony.wasm.bench.PluginsScenario;
import dev.colony.wasm.bench.Workload;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does a WebAssembly filter cost in front of ASYNC subscribers, beside the same filter in Java? One
 * invocation publishes 10,000 events (256-byte payloads, about 30% containing the needle) to 5 ASYNC
 * subscriptions and waits until all of them processed every event; the score is the time of that round.
 * Divide by 50,000 for nanoseconds per event per subscriber.
 *
 * <p>Variants ({@link BusRound}): {@code none} (no filter: the bus alone), {@code java} (the needle search
 * in Java over the same bytes, the baseline), {@code wasm-compiled} and {@code wasm-interpreted} (the
 * example needle filter in C, pooled, one instance per subscriber). Every round checks that the handlers
 * saw exactly what the Java predicate accepts: a variant that decided otherwise fails the run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class PluginBusBenchmark {
    @Param({"none", "java", "wasm-compiled", "wasm-interpreted"})
    public String variant;

    BusRound round;

    @Setup(Level.Trial)
    public void setUp() {
        PluginsScenario.Settings settings = PluginsScenario.Settings.defaults();
        Workload workload = Workload.generate(settings.events(), settings.payloadBytes(), 100, 0.3, settings.seed());
        round = new BusRound(settings, workload, variant);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        round.close();
    }

    @Benchmark
    public long round() {
        return round.run();
    }
}
