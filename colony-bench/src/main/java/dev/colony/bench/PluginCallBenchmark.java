package dev.colony.bench;

import dev.colony.bus.Event;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.JsonMessageCodec;
import dev.colony.wasm.DeployOptions;
import dev.colony.wasm.ExecutionMode;
import dev.colony.wasm.FailurePolicy;
import dev.colony.wasm.PluginCodec;
import dev.colony.wasm.PluginHost;
import dev.colony.wasm.PluginLimits;
import dev.colony.wasm.SubscriptionFilter;
import dev.colony.wasm.bench.Workload;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does one plugin call cost on one thread, beside the same work in Java? Each operation decides one
 * event (the workload's events in turn) or checks one message.
 *
 * <ul>
 *   <li>{@code filterJava}, {@code filterWasmCompiled}, {@code filterWasmInterpreted}: the needle search
 *       over a 256-byte payload, in Java and in the example C plugin (borrowing a pooled instance,
 *       copying the subject and payload in, calling, returning the instance: the whole host path).
 *   <li>{@code subjectJava}, {@code subjectWasm}, {@code subjectWasmCached}: the subject-only example
 *       filter ({@code orders.} prefix) over 100 distinct subjects, without and with the decision cache.
 *   <li>{@code messageJavaDecode}, {@code messageWasmCheck}: the 4.4 KB CloudEvents message decoded by
 *       Colony's JSON codec, and checked structurally by the example C validator (which does not decode).
 * </ul>
 * The WASM filters' decisions are compared with the Java predicate's in {@code @Setup}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class PluginCallBenchmark {
    PluginHost host;
    SubscriptionFilter compiled;
    SubscriptionFilter interpreted;
    SubscriptionFilter subject;
    SubscriptionFilter subjectCached;
    PluginCodec validator;
    final JsonMessageCodec codec = JsonMessageCodec.create();
    List<Event> events;
    byte[] needle;
    byte[] message;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        Workload workload = Workload.generate(10_000, 256, 100, 0.3, 20261207L);
        events = workload.events();
        needle = workload.needle();
        host = PluginHost.create();
        byte[] needleFilter = Workload.example("c/needle_filter.wasm");
        host.deploy("compiled", needleFilter, null, options(ExecutionMode.COMPILED, Workload.NEEDLE));
        host.deploy("interpreted", needleFilter, null, options(ExecutionMode.INTERPRETED, Workload.NEEDLE));
        host.deploy("prefix", Workload.example("wat/subject_prefix.wasm"), null, options(ExecutionMode.COMPILED, ""));
        host.deploy("check", Workload.example("c/cloudevents_check.wasm"), null, options(ExecutionMode.COMPILED, ""));
        compiled = host.filter("compiled", FailurePolicy.FAIL_CLOSED);
        interpreted = host.filter("interpreted", FailurePolicy.FAIL_CLOSED);
        subject = host.filter("prefix", FailurePolicy.FAIL_CLOSED);
        subjectCached = host.filter("prefix", FailurePolicy.FAIL_CLOSED, true);
        validator = host.codec(codec, "check", FailurePolicy.FAIL_CLOSED, PluginCodec.Side.RECEIVE);
        for (Event event : events) {
            boolean java = Workload.contains((byte[]) event.payload(), needle);
            if (compiled.test(event) != java || interpreted.test(event) != java) {
                throw new IllegalStateException("the WASM filter and the Java predicate disagree");
            }
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        for (int i = 0; i < 170; i++) {
            payload.put("k" + i, 1.0 / (i + 3));
        }
        message = codec.encode(Envelope.of(AgentId.of("agent-1"), AgentId.of("agent-2"), "coordination", payload));
        if (validator.apply(message) != message) {
            throw new IllegalStateException("the validator changed or refused a valid message");
        }
    }

    private static DeployOptions options(ExecutionMode mode, String config) {
        return DeployOptions.defaults()
                .withMode(mode)
                .withConfig(config)
                .withLimits(PluginLimits.filter()
                        .withPoolSize(1)
                        .withDeadline(Duration.ofSeconds(10))
                        .withRecycleAfterCalls(Long.MAX_VALUE));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        host.close();
    }

    private Event nextEvent() {
        Event event = events.get(next);
        next = next + 1 == events.size() ? 0 : next + 1;
        return event;
    }

    @Benchmark
    public boolean filterJava() {
        return Workload.contains((byte[]) nextEvent().payload(), needle);
    }

    @Benchmark
    public boolean filterWasmCompiled() {
        return compiled.test(nextEvent());
    }

    @Benchmark
    public boolean filterWasmInterpreted() {
        return interpreted.test(nextEvent());
    }

    @Benchmark
    public boolean subjectJava() {
        return nextEvent().subject().value().startsWith("orders.");
    }

    @Benchmark
    public boolean subjectWasm() {
        return subject.test(nextEvent());
    }

    @Benchmark
    public boolean subjectWasmCached() {
        return subjectCached.test(nextEvent());
    }

    @Benchmark
    public Object messageJavaDecode() {
        return codec.decode(message);
    }

    @Benchmark
    public byte[] messageWasmCheck() {
        return validator.apply(message);
    }
}
