package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.bus.DeliveryMode;
import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.metrics.LatencySnapshot;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
import dev.colony.validation.Variant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * {@code event-bus-concurrent}: 100 agents, each on its own virtual thread, publish 100 events each to
 * {@code agent.<id>.activity} at the same time; a subscriber on {@code agent.*.activity} and one on
 * {@code agent.>} must each receive all 10,000, every agent's events in the order it published them.
 * DIRECT is the headline; ASYNC is in details.
 */
final class ConcurrentEventBusScenario implements Scenario {
    static final int AGENTS = 100;
    static final int EVENTS_PER_AGENT = 100;

    /** The payload: which agent published it, and its sequence number within that agent. */
    record Activity(int agent, int seq, long timestamp) {}

    @Override
    public String name() {
        return "event-bus-concurrent";
    }

    @Override
    public String description() {
        return "100 agents on their own virtual threads x 100 events; 2 wildcard subscribers must get all 20,000";
    }

    /** The figures under {@code details}: the DIRECT headline's context, and the ASYNC variant. */
    private record Details(
            String mode,
            int agents,
            int eventsPerAgent,
            String threads,
            String latencyBasis,
            @JsonUnwrapped ThroughputSpread spread,
            Variant async) {}

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        Subject[] subjects = new Subject[AGENTS];
        Activity[][] payloads = new Activity[AGENTS][EVENTS_PER_AGENT];
        long now = System.currentTimeMillis();
        for (int a = 0; a < AGENTS; a++) {
            subjects[a] = Subject.of("agent." + a + ".activity");
            for (int s = 0; s < EVENTS_PER_AGENT; s++) {
                payloads[a][s] = new Activity(a, s, now);
            }
        }
        long expected = 2L * AGENTS * EVENTS_PER_AGENT;
        Measurement direct = run(settings, SubscribeOptions.direct(), subjects, payloads, expected)
                .m();
        Run async = run(settings, SubscribeOptions.async().withCapacity(16_384), subjects, payloads, expected);
        Measurement plain = runPlain(settings, subjects, payloads, expected);
        Details details = new Details(
                "DIRECT",
                AGENTS,
                EVENTS_PER_AGENT,
                "one virtual thread per agent, started before the timed region and released together",
                "one publish call including its DIRECT handlers, timed per publish in separate iterations",
                direct.spread(),
                Variant.of(async.m(), false, null)
                        .withLatency(Measurement.micros(async.busLatency()), EventBusScenario.ASYNC_LATENCY_BASIS));
        return ScenarioResult.of(
                        name(),
                        direct,
                        ScenarioResult.verified(direct, async.m()),
                        ScenarioResult.ORIGINAL_TARGET,
                        true,
                        details)
                .with(ScenarioResult.Baseline.of(
                        "plain virtual threads",
                        "the same 100 virtual threads, released together, call the same two order-checking"
                                + " handlers directly for each event (no bus, no subject matching)",
                        plain,
                        direct,
                        true));
    }

    /**
     * Counts deliveries per agent and checks each agent's events arrive in order. Each agent's events
     * reach a handler one at a time (from the agent's own thread for DIRECT, from the drainer for ASYNC),
     * so each slot of {@code next} has one writer at a time.
     */
    static final class OrderCheckingHandler {
        private final int[] next = new int[AGENTS];
        private final LongAdder inOrder = new LongAdder();
        private final AtomicLong outOfOrder = new AtomicLong();

        void handle(Event event) {
            if (event.payload() instanceof Activity activity && next[activity.agent()] == activity.seq()) {
                next[activity.agent()]++;
                inOrder.increment();
            } else {
                outOfOrder.incrementAndGet();
            }
        }

        long seen() {
            return inOrder.sum() + outOfOrder.get();
        }

        long good() {
            return inOrder.sum();
        }

        void reset() {
            java.util.Arrays.fill(next, 0);
            inOrder.reset();
            outOfOrder.set(0);
        }
    }

    /** A measured delivery mode, and the bus's own publish-to-handler latency. */
    private record Run(Measurement m, LatencySnapshot busLatency) {}

    /** Measures the options' delivery mode; DIRECT also times each publish. */
    private static Run run(
            BenchSettings settings, SubscribeOptions options, Subject[] subjects, Activity[][] payloads, long expected)
            throws Exception {
        try (EventBus bus = EventBus.create()) {
            OrderCheckingHandler star = new OrderCheckingHandler();
            OrderCheckingHandler tail = new OrderCheckingHandler();
            bus.subscribe(SubjectPattern.of("agent.*.activity"), star::handle, options.withName("agent.*.activity"));
            bus.subscribe(SubjectPattern.of("agent.>"), tail::handle, options.withName("agent.>"));
            boolean async = options.mode() == DeliveryMode.ASYNC;
            Measurement m = Loop.measure(settings, "event-bus-concurrent: " + options.mode(), expected, it -> {
                star.reset();
                tail.reset();
                long elapsed = publishConcurrently(bus, subjects, payloads, null);
                if (async) {
                    long start = System.nanoTime();
                    awaitSeen(star, tail, expected);
                    elapsed += System.nanoTime() - start;
                }
                return Loop.Tally.of(elapsed, star.good() + tail.good());
            });
            if (!async) {
                Loop.timeLatency(settings, m, latency -> {
                    star.reset();
                    tail.reset();
                    publishConcurrently(bus, subjects, payloads, latency);
                });
            }
            return new Run(m, bus.metrics().asyncLatency());
        }
    }

    /** The baseline: the same threads and payloads, each event handed straight to both checking handlers. */
    private static Measurement runPlain(
            BenchSettings settings, Subject[] subjects, Activity[][] payloads, long expected) throws Exception {
        OrderCheckingHandler star = new OrderCheckingHandler();
        OrderCheckingHandler tail = new OrderCheckingHandler();
        Publisher direct = (subject, payload) -> {
            Event event = new Event(subject, payload);
            star.handle(event);
            tail.handle(event);
        };
        Measurement m =
                Loop.measure(settings, "event-bus-concurrent: baseline (handlers called directly)", expected, it -> {
                    star.reset();
                    tail.reset();
                    return Loop.Tally.of(
                            publishConcurrently(direct, subjects, payloads, null), star.good() + tail.good());
                });
        Loop.timeLatency(settings, m, latency -> {
            star.reset();
            tail.reset();
            publishConcurrently(direct, subjects, payloads, latency);
        });
        return m;
    }

    /** Where an agent's events go: the bus, or the handlers directly. */
    private interface Publisher {
        void publish(Subject subject, Activity payload);
    }

    private static long publishConcurrently(EventBus bus, Subject[] subjects, Activity[][] payloads, Histogram latency)
            throws InterruptedException {
        return publishConcurrently((Publisher) bus::publish, subjects, payloads, latency);
    }

    /**
     * Starts one virtual thread per agent, releases them together and returns the nanoseconds from the
     * release until the last one finished publishing. With {@code latency}, each publish is timed.
     */
    private static long publishConcurrently(Publisher bus, Subject[] subjects, Activity[][] payloads, Histogram latency)
            throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(AGENTS);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(AGENTS);
        Histogram[] perAgent = new Histogram[AGENTS];
        for (int a = 0; a < AGENTS; a++) {
            int agent = a;
            Histogram histogram = latency == null ? null : new Histogram(3_600_000_000_000L, 3);
            perAgent[a] = histogram;
            Thread.ofVirtual().name("agent-" + a).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    Subject subject = subjects[agent];
                    Activity[] mine = payloads[agent];
                    for (Activity payload : mine) {
                        if (histogram == null) {
                            bus.publish(subject, payload);
                        } else {
                            long t0 = System.nanoTime();
                            bus.publish(subject, payload);
                            histogram.recordValue(System.nanoTime() - t0);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        done.await();
        long elapsed = System.nanoTime() - start;
        if (latency != null) {
            for (Histogram h : perAgent) {
                latency.add(h);
            }
        }
        return elapsed;
    }

    private static void awaitSeen(OrderCheckingHandler a, OrderCheckingHandler b, long expected) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (a.seen() + b.seen() < expected && System.nanoTime() < deadline) {
            Thread.yield(); // not a busy spin: on two cores it would take a core from the drainers
        }
    }
}
