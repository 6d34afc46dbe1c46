package dev.colony.bench;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many deliveries per second does a DIRECT publish make, and does its cost grow with the number of
 * subscriptions on the bus? Scores are deliveries per second (each invocation's operations are its
 * deliveries).
 *
 * <p>{@code publish}: a bus holds {@code subscriptions} subscriptions, of which six (two literals and
 * four wildcards, {@code >}-tails and {@code *}s) match one of two published subjects, each subject
 * getting exactly {@value #HOT_DELIVERIES}; the rest are distinct literal and wildcard fillers that match
 * nothing published. {@code publishRouteMiss} is the same with a route cache of one entry, so every
 * publish walks the subject trie. {@code baselineFanOut} is the floor any router pays: a hash lookup of
 * the subject and a loop over the same handlers.
 *
 * <p>{@code handlerClasses} is how many handler classes the subscriptions use: 1 lets the JIT inline the
 * single handler into the delivery loop (the best case, as in a micro-benchmark with one lambda); 4 makes
 * the handler call megamorphic, as in an application whose subscribers are different code.
 *
 * <p>{@code workload} / {@code baselineWorkload}: the docs/workloads.md {@code event-bus} shape, five subjects
 * with one literal subscriber each plus {@code agent.*}, {@code task.>} and {@code >}; one invocation
 * publishes once on each subject, {@value #WORKLOAD_DELIVERIES} deliveries.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class BusDirectBenchmark {
    static final int HOT_DELIVERIES = 5;
    static final int WORKLOAD_DELIVERIES = 13;

    static final List<String> HOT_SUBJECTS = List.of("agent.hot.status", "agent.warm.status");
    // each hot subject matches its literal, agent.*.status twice, agent.> and *.*.status: 5
    static final List<String> HOT_PATTERNS = List.of(
            "agent.hot.status", "agent.warm.status", "agent.*.status", "agent.*.status", "agent.>", "*.*.status");

    static final List<String> WORKLOAD_SUBJECTS =
            List.of("agent.spawn", "agent.complete", "task.assign", "state.update", "coordination.sync");
    static final List<String> WORKLOAD_WILDCARDS = List.of("agent.*", "task.>", ">");

    /** A bus of {@code subscriptions} subscriptions, six of them hot. */
    @State(Scope.Thread)
    public static class Populated {
        @Param({"10", "1000", "100000"})
        int subscriptions;

        @Param({"1", "4"})
        int handlerClasses;

        final Deliveries deliveries = new Deliveries();
        final Activity payload = Activity.sample();
        EventBus bus;
        Subject[] subjects;
        int next;

        EventBus.Builder builder() {
            return EventBus.builder();
        }

        @Setup(Level.Trial)
        public void setUp() {
            bus = builder().build();
            int variant = 0;
            for (String pattern : HOT_PATTERNS) {
                bus.subscribe(pattern, deliveries.handler(variant++ % handlerClasses));
            }
            for (int i = 0; i < subscriptions - HOT_PATTERNS.size(); i++) {
                bus.subscribe(FillerPatterns.of(i), deliveries.handler(variant++ % handlerClasses));
            }
            subjects = HOT_SUBJECTS.stream().map(Subject::of).toArray(Subject[]::new);
            for (Subject subject : subjects) {
                PublishResult result = bus.publish(subject, payload);
                if (result.matched() != HOT_DELIVERIES || !result.isClean()) {
                    throw new IllegalStateException(subject + " matched " + result);
                }
            }
        }

        Subject nextSubject() {
            return subjects[next++ & 1];
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            verify(bus, deliveries);
            long start = System.nanoTime();
            bus.close();
            System.out.printf(
                    "%n[close of a bus with %d subscriptions took %.1f ms]%n",
                    subscriptions, (System.nanoTime() - start) / 1e6);
        }
    }

    /** The same bus with a route cache of one entry: every publish computes its route. */
    @State(Scope.Thread)
    public static class PopulatedUncached extends Populated {
        @Override
        EventBus.Builder builder() {
            return EventBus.builder().routeCacheCapacity(1);
        }
    }

    /** The floor: a concurrent map from subject text to the handlers of the hot subjects. */
    @State(Scope.Thread)
    public static class FanOut {
        @Param({"1", "4"})
        int handlerClasses;

        final Deliveries deliveries = new Deliveries();
        final Activity payload = Activity.sample();
        final Map<String, EventHandler[]> routes = new ConcurrentHashMap<>();
        Subject[] subjects;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            subjects = HOT_SUBJECTS.stream().map(Subject::of).toArray(Subject[]::new);
            int variant = 0;
            for (Subject subject : subjects) {
                EventHandler[] handlers = new EventHandler[HOT_DELIVERIES];
                for (int i = 0; i < handlers.length; i++) {
                    handlers[i] = deliveries.handler(variant++ % handlerClasses);
                }
                routes.put(subject.value(), handlers);
            }
        }
    }

    /** The docs/workloads.md event-bus shape on a Colony bus. */
    @State(Scope.Thread)
    public static class Workload {
        @Param({"1", "4"})
        int handlerClasses;

        final Deliveries deliveries = new Deliveries();
        final Activity payload = Activity.sample();
        EventBus bus;
        Subject[] subjects;

        @Setup(Level.Trial)
        public void setUp() {
            bus = EventBus.create();
            int variant = 0;
            for (String subject : WORKLOAD_SUBJECTS) {
                bus.subscribe(subject, deliveries.handler(variant++ % handlerClasses));
            }
            for (String pattern : WORKLOAD_WILDCARDS) {
                bus.subscribe(pattern, deliveries.handler(variant++ % handlerClasses));
            }
            subjects = WORKLOAD_SUBJECTS.stream().map(Subject::of).toArray(Subject[]::new);
            int matched = 0;
            for (Subject subject : subjects) {
                matched += bus.publish(subject, payload).accepted();
            }
            if (matched != WORKLOAD_DELIVERIES) {
                throw new IllegalStateException("workload matched " + matched + ", expected " + WORKLOAD_DELIVERIES);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            verify(bus, deliveries);
            bus.close();
        }
    }

    /** The docs/workloads.md shape with the routes written out by hand, the floor for {@link Workload}. */
    @State(Scope.Thread)
    public static class WorkloadFanOut {
        @Param({"1", "4"})
        int handlerClasses;

        final Deliveries deliveries = new Deliveries();
        final Activity payload = Activity.sample();
        final Map<String, EventHandler[]> routes = new ConcurrentHashMap<>();
        Subject[] subjects;

        @Setup(Level.Trial)
        public void setUp() {
            subjects = WORKLOAD_SUBJECTS.stream().map(Subject::of).toArray(Subject[]::new);
            EventHandler agentStar = deliveries.handler(0);
            EventHandler taskTail = deliveries.handler(1 % handlerClasses);
            EventHandler all = deliveries.handler(2 % handlerClasses);
            int variant = 3;
            for (Subject subject : subjects) {
                EventHandler literal = deliveries.handler(variant++ % handlerClasses);
                EventHandler[] handlers = switch (subject.token(0)) {
                    case "agent" -> new EventHandler[] {literal, agentStar, all};
                    case "task" -> new EventHandler[] {literal, taskTail, all};
                    default -> new EventHandler[] {literal, all};
                };
                routes.put(subject.value(), handlers);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOT_DELIVERIES)
    public PublishResult publish(Populated state) {
        return state.bus.publish(state.nextSubject(), state.payload);
    }

    @Benchmark
    @OperationsPerInvocation(HOT_DELIVERIES)
    public PublishResult publishRouteMiss(PopulatedUncached state) {
        return state.bus.publish(state.nextSubject(), state.payload);
    }

    @Benchmark
    @OperationsPerInvocation(HOT_DELIVERIES)
    public int baselineFanOut(FanOut state) {
        Subject subject = state.subjects[state.next++ & 1];
        return fanOut(state.routes.get(subject.value()), new Event(subject, state.payload));
    }

    @Benchmark
    @OperationsPerInvocation(WORKLOAD_DELIVERIES)
    public int workload(Workload state) {
        int accepted = 0;
        for (Subject subject : state.subjects) {
            accepted += state.bus.publish(subject, state.payload).accepted();
        }
        return accepted;
    }

    @Benchmark
    @OperationsPerInvocation(WORKLOAD_DELIVERIES)
    public int baselineWorkload(WorkloadFanOut state) {
        int accepted = 0;
        for (Subject subject : state.subjects) {
            accepted += fanOut(state.routes.get(subject.value()), new Event(subject, state.payload));
        }
        return accepted;
    }

    /** Calls each handler as a bus would: failures are caught and counted, not thrown. */
    static int fanOut(EventHandler[] handlers, Event event) {
        int accepted = 0;
        for (EventHandler handler : handlers) {
            try {
                handler.handle(event);
                accepted++;
            } catch (Exception e) {
                // counted by not counting it as accepted
            }
        }
        return accepted;
    }

    static void verify(EventBus bus, Deliveries deliveries) {
        var metrics = bus.metrics();
        if (metrics.delivered() != deliveries.count || metrics.failed() != 0 || metrics.dead() != 0) {
            throw new IllegalStateException(
                    "handlers counted " + deliveries.count + " deliveries; the bus reports " + metrics);
        }
    }
}
