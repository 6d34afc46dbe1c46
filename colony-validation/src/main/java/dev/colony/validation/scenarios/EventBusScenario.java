package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.bus.DeliveryMode;
import dev.colony.bus.EventBus;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
import dev.colony.validation.Variant;
import java.util.ArrayList;
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

    /** The figures under {@code details}: the DIRECT headline's context, and the ASYNC variant. */
    private record Details(
            String mode,
            int eventsPerIteration,
            long deliveriesPerIteration,
            int payloadJsonBytes,
            double eventsPerSec,
            String latencyBasis,
            @JsonUnwrapped ThroughputSpread spread,
            double originalClaimEventsPerSec,
            Variant async) {}

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        Subject[] subjects = SUBJECTS.stream().map(Subject::of).toArray(Subject[]::new);
        SwarmEvent[] payloads = payloads();
        long expected = expectedDeliveries(subjects);
        Measurement direct = runDirect(settings, subjects, payloads, expected);
        Variant async = runAsync(settings, subjects, payloads, expected);
        Measurement plain = runPlain(settings, subjects, payloads, expected);
        Details details = new Details(
                "DIRECT",
                EVENTS,
                expected,
                JsonMapper.builder().build().writeValueAsBytes(payloads[0]).length,
                Measurement.round(EVENTS / direct.medianSeconds()),
                "one publish call including its DIRECT handlers, timed per publish in separate iterations",
                direct.spread(),
                ORIGINAL_CLAIM,
                async);
        ScenarioResult.Verified verified = new ScenarioResult.Verified(
                direct.expected() + async.verified().expected(),
                direct.observed() + async.verified().observed());
        return ScenarioResult.of(name(), direct, verified, ScenarioResult.ORIGINAL_TARGET, true, details)
                .with(ScenarioResult.Baseline.of(
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

    private static Measurement runDirect(
            BenchSettings settings, Subject[] subjects, SwarmEvent[] payloads, long expected) throws Exception {
        try (EventBus bus = EventBus.create()) {
            List<CheckingHandler> handlers = subscribeAll(bus, DeliveryMode.DIRECT);
            Measurement m = Loop.measure(
                    settings,
                    "event-bus: DIRECT",
                    expected,
                    it -> publishAll(bus, handlers, false, subjects, payloads));
            // latency: separate iterations, each publish timed on its own
            Loop.timeLatency(settings, m, latency -> {
                for (int i = 0; i < EVENTS; i++) {
                    long t0 = System.nanoTime();
                    PublishResult result = bus.publish(subjects[i % subjects.length], payloads[i]);
                    latency.recordValue(System.nanoTime() - t0);
                    if (!result.isClean()) {
                        throw new IllegalStateException("a DIRECT publish was not clean: " + result);
                    }
                }
            });
            return m;
        }
    }

    /**
     * The baseline: the same events and checking handlers, dispatched by a plain map from subject to its
     * matching handlers (resolved before timing), throughput and per-publish latency like DIRECT.
     */
    private static Measurement runPlain(
            BenchSettings settings, Subject[] subjects, SwarmEvent[] payloads, long expected) throws Exception {
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
        Measurement m = Loop.measure(settings, "event-bus: baseline (plain JDK dispatch)", expected, it -> {
            handlers.forEach(CheckingHandler::reset);
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                plainPublish(routes, subjects[i % n], payloads[i]);
            }
            long elapsed = System.nanoTime() - start;
            return Loop.Tally.of(
                    elapsed, handlers.stream().mapToLong(CheckingHandler::good).sum());
        });
        Loop.timeLatency(settings, m, latency -> {
            for (int i = 0; i < EVENTS; i++) {
                long t0 = System.nanoTime();
                plainPublish(routes, subjects[i % n], payloads[i]);
                latency.recordValue(System.nanoTime() - t0);
            }
        });
        return m;
    }

    private static void plainPublish(Map<String, CheckingHandler[]> routes, Subject subject, SwarmEvent payload) {
        dev.colony.bus.Event event = new dev.colony.bus.Event(subject, payload);
        for (CheckingHandler handler : routes.get(subject.value())) {
            handler.handle(event);
        }
    }

    private static Variant runAsync(BenchSettings settings, Subject[] subjects, SwarmEvent[] payloads, long expected)
            throws Exception {
        try (EventBus bus = EventBus.create()) {
            List<CheckingHandler> handlers = subscribeAll(bus, DeliveryMode.ASYNC);
            Measurement m = Loop.measure(
                    settings, "event-bus: ASYNC", expected, it -> publishAll(bus, handlers, true, subjects, payloads));
            return Variant.of(m, false, null)
                    .withLatency(Measurement.micros(bus.metrics().asyncLatency()), ASYNC_LATENCY_BASIS);
        }
    }

    static final String ASYNC_LATENCY_BASIS =
            "publish to handler start, one publish in 64 sampled, from the bus's own histogram";

    /**
     * One iteration: publish every event, for ASYNC wait until the handlers have seen every accepted delivery,
     * and count the deliveries that were both accepted and checked.
     */
    private static Loop.Tally publishAll(
            EventBus bus,
            List<CheckingHandler> handlers,
            boolean awaitHandlers,
            Subject[] subjects,
            SwarmEvent[] payloads) {
        handlers.forEach(CheckingHandler::reset);
        long accepted = 0;
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) {
            accepted += bus.publish(subjects[i % subjects.length], payloads[i]).accepted();
        }
        if (awaitHandlers) {
            awaitCount(handlers, accepted);
        }
        long elapsed = System.nanoTime() - start;
        long good = handlers.stream().mapToLong(CheckingHandler::good).sum();
        return Loop.Tally.of(elapsed, Math.min(good, accepted));
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
