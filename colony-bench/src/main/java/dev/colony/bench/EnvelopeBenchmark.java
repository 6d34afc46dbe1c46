package dev.colony.bench;

import dev.colony.bus.Event;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one {@code Envelope.of} costs, and its parts (ADR 0073): the random UUID id ({@code newId}), the
 * wall-clock read ({@code instantNow}, and {@code nanoTime} beside it: the clock read without the native call
 * {@code Instant.now} makes), and the validating constructor with a fixed id and time ({@code constructor}).
 * Average time per operation, one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
@State(Scope.Thread)
public class EnvelopeBenchmark {
    final AgentId sender = AgentId.of("sender");
    final AgentId recipient = AgentId.of("recipient");
    final Object payload = PeerPayload.envelope().payload();
    final String id = Envelope.newId();
    final Instant time = Instant.now();

    @Benchmark
    public Envelope of() {
        return Envelope.of(sender, recipient, "targeted", payload);
    }

    @Benchmark
    public String newId() {
        return Envelope.newId();
    }

    @Benchmark
    public Instant instantNow() {
        return Instant.now();
    }

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public Envelope constructor() {
        return new Envelope(
                id, sender, recipient, "targeted", null, null, time, null, Event.NORMAL_PRIORITY, Map.of(), payload);
    }
}
