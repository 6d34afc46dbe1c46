package dev.colony.wasm.bench;

import dev.colony.bus.Event;
import dev.colony.bus.Subject;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.JsonMessageCodec;
import dev.colony.messaging.MessageCodec;
import dev.colony.wasm.DeployOptions;
import dev.colony.wasm.Deployment;
import dev.colony.wasm.ExecutionMode;
import dev.colony.wasm.FailurePolicy;
import dev.colony.wasm.PluginCodec;
import dev.colony.wasm.PluginHost;
import dev.colony.wasm.PluginLimits;
import dev.colony.wasm.SubscriptionFilter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The per-call half of the plugins benchmark, on one thread, in one run: a filter call beside the Java
 * predicate, a subject-only filter with and without the decision cache, the 4.4 KB message checked in
 * WebAssembly beside the Java codec, and what an instance costs (compile, instantiate, memory).
 */
public final class CallCosts {
    private static final int WARMUP = 5;
    private static final int ROUNDS = 7;

    /**
     * The figures of one run, each the median of {@value #ROUNDS} rounds after {@value #WARMUP} warm-up rounds.
     *
     * @param nanosPerCall nanoseconds per call by variant, in order (each variant checks its decisions
     *     against the Java predicate's)
     * @param messageBytes the size of the CloudEvents message validated
     * @param compileMillis compiling the needle filter
     * @param instantiateMicros creating and configuring one instance
     * @param heapBytesPerInstance the JVM heap one idle instance holds (its 64 KiB pages included), measured
     *     over a pool of 64
     */
    public record Result(
            Map<String, Double> nanosPerCall,
            int messageBytes,
            double compileMillis,
            double instantiateMicros,
            long heapBytesPerInstance) {}

    private CallCosts() {}

    /** Measures everything on {@code workload} (use {@link Workload#generate} with the scenario's settings). */
    public static Result run(Workload workload) {
        Map<String, Double> nanos = new LinkedHashMap<>();
        List<Event> events = workload.events();
        nanos.put("filter java", perCall(events, e -> Workload.contains((byte[]) e.payload(), workload.needle())));
        double compileMillis;
        double instantiateMicros;
        try (PluginHost host = PluginHost.create()) {
            Deployment compiled = host.deploy(
                    "c", Workload.example("c/needle_filter.wasm"), null, options(ExecutionMode.COMPILED, 1));
            compileMillis = compiled.compileNanos() / 1e6;
            host.deploy("i", Workload.example("c/needle_filter.wasm"), null, options(ExecutionMode.INTERPRETED, 1));
            SubscriptionFilter c = host.filter("c", FailurePolicy.FAIL_CLOSED);
            SubscriptionFilter i = host.filter("i", FailurePolicy.FAIL_CLOSED);
            nanos.put("filter wasm compiled", perCall(events, checked(c::test, workload)));
            nanos.put(
                    "filter wasm interpreted",
                    perCall(events.subList(0, Math.min(events.size(), 2_000)), checked(i::test, workload)));
            long start = System.nanoTime();
            host.deploy("c", Workload.example("c/needle_filter.wasm"), null, options(ExecutionMode.COMPILED, 64));
            instantiateMicros = (System.nanoTime() - start) / 64 / 1e3;
        }
        subjectOnly(events, nanos);
        int messageBytes = validation(nanos);
        return new Result(nanos, messageBytes, compileMillis, instantiateMicros, heapPerInstance());
    }

    private static DeployOptions options(ExecutionMode mode, int pool) {
        return DeployOptions.defaults()
                .withMode(mode)
                .withConfig(Workload.NEEDLE)
                .withLimits(PluginLimits.filter()
                        .withPoolSize(pool)
                        .withDeadline(Duration.ofSeconds(10))
                        .withRecycleAfterCalls(Long.MAX_VALUE));
    }

    private static Predicate<Event> checked(Predicate<Event> filter, Workload workload) {
        return event -> {
            boolean decision = filter.test(event);
            if (decision != Workload.contains((byte[]) event.payload(), workload.needle())) {
                throw new IllegalStateException("the plugin and the Java predicate disagree on an event");
            }
            return decision;
        };
    }

    private static double perCall(List<Event> events, Predicate<Event> filter) {
        long[] sink = new long[1];
        long nanos = Timing.median(WARMUP, ROUNDS, () -> {
            long start = System.nanoTime();
            for (Event event : events) {
                if (filter.test(event)) {
                    sink[0]++;
                }
            }
            return System.nanoTime() - start;
        });
        return (double) nanos / events.size();
    }

    /** The subject-only example filter, with and without the decision cache (100 distinct subjects). */
    private static void subjectOnly(List<Event> events, Map<String, Double> nanos) {
        try (PluginHost host = PluginHost.create()) {
            host.deploy(
                    "prefix",
                    Workload.example("wat/subject_prefix.wasm"),
                    null,
                    options(ExecutionMode.COMPILED, 1).withConfig(""));
            nanos.put("subject-only wasm", perCall(events, host.filter("prefix", FailurePolicy.FAIL_CLOSED)::test));
            nanos.put(
                    "subject-only wasm + cache",
                    perCall(events, host.filter("prefix", FailurePolicy.FAIL_CLOSED, true)::test));
            nanos.put(
                    "subject-only java",
                    perCall(events, e -> e.subject().value().startsWith("orders.")));
        }
    }

    /** The 4.4 KB message: the example CloudEvents check in WebAssembly, its Java port, the Java codec. */
    private static int validation(Map<String, Double> nanos) {
        JsonMessageCodec json = JsonMessageCodec.create();
        Map<String, Object> payload = new LinkedHashMap<>();
        for (int i = 0; i < 170; i++) {
            payload.put("k" + i, 1.0 / (i + 3));
        }
        byte[] message =
                json.encode(Envelope.of(AgentId.of("agent-1"), AgentId.of("agent-2"), "coordination", payload));
        List<Event> one = List.of(new Event(Subject.of("m"), message));
        try (PluginHost host = PluginHost.create()) {
            host.deploy(
                    "ce",
                    Workload.example("c/cloudevents_check.wasm"),
                    null,
                    options(ExecutionMode.COMPILED, 1).withConfig(""));
            MessageCodec checked = host.codec(json, "ce", FailurePolicy.FAIL_CLOSED, PluginCodec.Side.RECEIVE);
            nanos.put("4.4 KB check wasm", repeat(one, e -> ((PluginCodec) checked).apply(message) == message));
            nanos.put("4.4 KB check wasm + decode", repeat(one, e -> checked.decode(message) != null));
            nanos.put("4.4 KB java decode", repeat(one, e -> json.decode(message) != null));
        }
        return message.length;
    }

    private static double repeat(List<Event> one, Predicate<Event> work) {
        List<Event> many = java.util.Collections.nCopies(2_000, one.getFirst());
        return perCall(many, work);
    }

    private static long heapPerInstance() {
        try (PluginHost host = PluginHost.create()) {
            // compile first, so that the measured deploy only adds instances
            host.deploy("heap", Workload.example("c/needle_filter.wasm"), null, options(ExecutionMode.COMPILED, 1));
            long before = usedHeap();
            host.deploy("heap", Workload.example("c/needle_filter.wasm"), null, options(ExecutionMode.COMPILED, 65));
            long after = usedHeap();
            return Math.max(0, (after - before) / 64);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
