package dev.colony.cli.bench;

import dev.colony.bus.DeliveryMode;
import dev.colony.bus.EventBus;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.metrics.LatencySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code event-bus}: 10,000 events of about 120 bytes over five subjects, delivered to one subscriber per
 * subject and three wildcard subscribers ({@code agent.*}, {@code task.>}, {@code >}). Every delivery is
 * counted and its payload checked against its subject. The headline is DIRECT delivery; the ASYNC
 * variant (the same subscribers, each with its own mailbox and virtual thread) is reported in details.
 */
final class EventBusScenario implements Scenario {
    static final int EVENTS = 10_000;
    static final List<String> SUBJECTS =
            List.of("agent.spawn", "agent.complete", "task.assign", "state.update", "coordination.sync");
    static final List<String> WILDCARDS = List.of("agent.*", "task.>", ">");
    static final double ORIGINAL_CLAIM = 398_373; // events/s in the original report
    static final double GOAL_DIRECT = 50_000_000;
    static final double GOAL_ASYNC = 20_000_000;

    /** The payload: about 120 bytes as JSON; {@code kind} names the subject it is published on. */
    record SwarmEvent(String id, long timestamp, String agentId, String kind, Map<String, Object> data) {}

    @Override
    public String name() {
        return "event-bus";
    }

    @Override
    public String description() {
        return "10,000 events over 5 subjects to 5 literal and 3 wildcard subscribers, DIRECT and ASYNC";
    }

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        Subject[] subjects = SUBJECTS.stream().map(Subject::of).toArray(Subject[]::new);
        SwarmEvent[] payloads = payloads();
        long expected = expectedDeliveries(subjects);

        settings.progress(
                "event-bus: DIRECT, %d warm-up + %d measured iterations", settings.warmup(), settings.iterations());
        Measurement direct = new Measurement(expected);
        runDirect(settings, subjects, payloads, direct);

        settings.progress(
                "event-bus: ASYNC, %d warm-up + %d measured iterations", settings.warmup(), settings.iterations());
        Measurement async = new Measurement(expected);
        LatencySnapshot asyncLatency = runAsync(settings, subjects, payloads, async);

        settings.progress(
                "event-bus: baseline (plain JDK dispatch), %d warm-up + %d measured iterations",
                settings.warmup(), settings.iterations());
        Measurement plain = new Measurement(expected);
        runPlain(settings, subjects, payloads, plain);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "DIRECT");
        details.put("events_per_iteration", EVENTS);
        details.put("deliveries_per_iteration", expected);
        details.put("payload_json_bytes", JsonMapper.builder().build().writeValueAsBytes(payloads[0]).length);
        details.put("events_per_sec", Measurement.round(EVENTS / direct.medianSeconds()));
        details.put(
                "latency_basis",
                "one publish call including its DIRECT handlers, timed per publish in separate iterations");
        details.putAll(direct.spread());
        details.put("goal_deliveries_per_sec", GOAL_DIRECT);
        details.put("goal_met", direct.throughput() >= GOAL_DIRECT);
        details.put("original_claim_events_per_sec", ORIGINAL_CLAIM);
        details.put("async", async.asAsyncDetails(asyncLatency, GOAL_ASYNC));
        return ScenarioResult.directAndAsync(name(), direct, async, details)
                .with(
                        direct.perIteration(),
                        ScenarioResult.Baseline.of(
                                "plain JDK dispatch",
                                "a HashMap from each subject to an array of the handlers whose pattern matches it, built"
                                        + " before timing; each publish allocates an Event, looks the subject up and calls the"
                                        + " same checking handlers in turn on the publisher's thread (no bus, no patterns at"
                                        + " publish time)",
                                plain,
                                direct,
                                true));
    }

    static SwarmEvent[] payloads() {
        SwarmEvent[] payloads = new SwarmEvent[EVENTS];
        long now = System.currentTimeMillis();
        for (int i = 0; i < EVENTS; i++) {
            String kind = SUBJECTS.get(i % SUBJECTS.size());
            payloads[i] = new SwarmEvent(
                    "evt-%05d".formatted(i),
                    now + i,
                    "agent-%03d".formatted(i % 100),
                    kind,
                    Map.of("seq", i, "load", (i % 100) / 100.0));
        }
        return payloads;
    }

    private static long expectedDeliveries(Subject[] subjects) {
        List<SubjectPattern> patterns = new ArrayList<>();
        SUBJECTS.forEach(s -> patterns.add(SubjectPattern.of(s)));
        WILDCARDS.forEach(w -> patterns.add(SubjectPattern.of(w)));
        long total = 0;
        for (int i = 0; i < EVENTS; i++) {
            Subject subject = subjects[i % subjects.length];
            total += patterns.stream().filter(p -> p.matches(subject)).count();
        }
        return total;
    }

    /** Counts deliveries and checks each payload belongs to the subject it arrived on. */
    static final class CheckingHandler {
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong wrong = new AtomicLong();

        /** Called by one thread at a time (the publisher for DIRECT, the drainer for ASYNC). */
        void handle(dev.colony.bus.Event event) {
            boolean ok = event.payload() instanceof SwarmEvent p
                    && p.kind() == event.subject().value();
            // a single writer: a release store suffices, and the waiting reader's get() pairs with it
            count.lazySet(count.get() + 1);
            if (!ok) {
                wrong.lazySet(wrong.get() + 1);
            }
        }

        long good() {
            return count.get() - wrong.get();
        }

        void reset() {
            count.set(0);
            wrong.set(0);
        }
    }

    private static List<CheckingHandler> subscribeAll(EventBus bus, DeliveryMode mode) {
        SubscribeOptions options = mode == DeliveryMode.DIRECT
                ? SubscribeOptions.direct()
                : SubscribeOptions.async().withCapacity(16_384);
        List<CheckingHandler> handlers = new ArrayList<>();
        for (String pattern : concat(SUBJECTS, WILDCARDS)) {
            CheckingHandler handler = new CheckingHandler();
            handlers.add(handler);
            bus.subscribe(SubjectPattern.of(pattern), handler::handle, options.withName(pattern));
        }
        return handlers;
    }

    private static void runDirect(BenchSettings settings, Subject[] subjects, SwarmEvent[] payloads, Measurement m) {
        try (EventBus bus = EventBus.create()) {
            measureThroughput(settings, bus, subscribeAll(bus, DeliveryMode.DIRECT), false, subjects, payloads, m);
            // latency: separate iterations, each publish timed on its own
            for (int it = 0; it < settings.iterations(); it++) {
                for (int i = 0; i < EVENTS; i++) {
                    long t0 = System.nanoTime();
                    PublishResult result = bus.publish(subjects[i % subjects.length], payloads[i]);
                    long t1 = System.nanoTime();
                    m.latency.recordValue(t1 - t0);
                    if (!result.isClean()) {
                        throw new IllegalStateException("a DIRECT publish was not clean: " + result);
                    }
                }
                m.latencyIteration();
            }
        }
    }

    /**
     * The baseline: the same events and checking handlers, dispatched by a plain map from subject to its
     * matching handlers (resolved before timing), throughput and per-publish latency like DIRECT.
     */
    private static void runPlain(BenchSettings settings, Subject[] subjects, SwarmEvent[] payloads, Measurement m) {
        List<String> patterns = concat(SUBJECTS, WILDCARDS);
        List<CheckingHandler> handlers = new ArrayList<>();
        Map<String, CheckingHandler[]> routes = new java.util.HashMap<>();
        patterns.forEach(p -> handlers.add(new CheckingHandler()));
        for (Subject subject : subjects) {
            List<CheckingHandler> matching = new ArrayList<>();
            for (int i = 0; i < patterns.size(); i++) {
                if (SubjectPattern.of(patterns.get(i)).matches(subject)) {
                    matching.add(handlers.get(i));
                }
            }
            routes.put(subject.value(), matching.toArray(CheckingHandler[]::new));
        }
        int n = subjects.length;
        for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
            handlers.forEach(CheckingHandler::reset);
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                plainPublish(routes, subjects[i % n], payloads[i]);
            }
            long elapsed = System.nanoTime() - start;
            if (it >= settings.warmup()) {
                m.iteration(
                        elapsed,
                        m.operations(),
                        handlers.stream().mapToLong(CheckingHandler::good).sum());
            }
        }
        for (int it = 0; it < settings.iterations(); it++) {
            for (int i = 0; i < EVENTS; i++) {
                long t0 = System.nanoTime();
                plainPublish(routes, subjects[i % n], payloads[i]);
                m.latency.recordValue(System.nanoTime() - t0);
            }
            m.latencyIteration();
        }
    }

    private static void plainPublish(Map<String, CheckingHandler[]> routes, Subject subject, SwarmEvent payload) {
        dev.colony.bus.Event event = new dev.colony.bus.Event(subject, payload);
        for (CheckingHandler handler : routes.get(subject.value())) {
            handler.handle(event);
        }
    }

    private static LatencySnapshot runAsync(
            BenchSettings settings, Subject[] subjects, SwarmEvent[] payloads, Measurement m) {
        try (EventBus bus = EventBus.create()) {
            measureThroughput(settings, bus, subscribeAll(bus, DeliveryMode.ASYNC), true, subjects, payloads, m);
            return bus.metrics().asyncLatency();
        }
    }

    /**
     * Warm-up and measured iterations: publish every event, for ASYNC wait until the handlers have seen
     * every accepted delivery, and record the time with the deliveries that were both accepted and checked.
     */
    private static void measureThroughput(
            BenchSettings settings,
            EventBus bus,
            List<CheckingHandler> handlers,
            boolean awaitHandlers,
            Subject[] subjects,
            SwarmEvent[] payloads,
            Measurement m) {
        int n = subjects.length;
        for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
            handlers.forEach(CheckingHandler::reset);
            long accepted = 0;
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                accepted += bus.publish(subjects[i % n], payloads[i]).accepted();
            }
            if (awaitHandlers) {
                awaitCount(handlers, accepted);
            }
            long elapsed = System.nanoTime() - start;
            long good = handlers.stream().mapToLong(CheckingHandler::good).sum();
            if (it >= settings.warmup()) {
                m.iteration(elapsed, m.operations(), Math.min(good, accepted));
            }
        }
    }

    /**
     * Waits until the handlers have seen {@code expected} deliveries (bounded: 60 s). It yields the CPU on
     * every look: on two cores a waiter that spins would take a core from the drainers it waits for.
     */
    static void awaitCount(List<CheckingHandler> handlers, long expected) {
        CheckingHandler[] all = handlers.toArray(CheckingHandler[]::new);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            long seen = 0;
            for (CheckingHandler handler : all) {
                seen += handler.count.get();
            }
            if (seen >= expected || System.nanoTime() > deadline) {
                return; // on a deadline, the verified count shows the shortfall
            }
            Thread.yield();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
