package dev.colony.bench;

import com.google.common.eventbus.Subscribe;
import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * What does it cost to subscribe and close again, and does it grow with the subscriptions already on
 * the bus? The bus holds {@code subscriptions} filler subscriptions (literal and wildcard) and a warm
 * route cache of {@code warmSubjects} subjects (512 unless overridden with {@code -p}); each operation subscribes one DIRECT handler and
 * closes it. {@code literal} subscribes {@code agent.7.status} (one cached route to update),
 * {@code wildcard} subscribes {@code agent.7.*} (every cached route is checked). Scores are
 * subscribe-and-close pairs per second.
 *
 * <p>Baselines with the same population: {@code guavaRegister} (Guava EventBus register and unregister
 * of one more subscriber of an event class that already has {@code subscriptions} subscribers), and
 * {@code concurrentMap} (put and remove in a {@code ConcurrentHashMap} of that size, the floor of any
 * registry).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SubscribeChurnBenchmark {
    @State(Scope.Thread)
    public static class Populated {
        @Param({"10", "1000", "100000"})
        int subscriptions;

        /** Subjects in the warm route cache (half agent.N.status, half task.N.assign). */
        @Param({"512"})
        int warmSubjects;

        final Deliveries deliveries = new Deliveries();
        final Activity payload = Activity.sample();
        final SubjectPattern literal = SubjectPattern.of("agent.7.status");
        final SubjectPattern wildcard = SubjectPattern.of("agent.7.*");
        final SubscribeOptions options = SubscribeOptions.direct();
        EventHandler handler;
        EventBus bus;

        @Setup(Level.Trial)
        public void setUp() {
            bus = EventBus.create();
            handler = deliveries.handler(0);
            bus.subscribe("agent.>", deliveries.handler(1));
            bus.subscribe("task.>", deliveries.handler(2));
            for (int i = 0; i < subscriptions - 2; i++) {
                bus.subscribe(FillerPatterns.of(i), deliveries.handler(i));
            }
            for (int i = 0; i < warmSubjects / 2; i++) {
                bus.publish("agent." + i + ".status", payload);
                bus.publish("task." + i + ".assign", payload);
            }
            int cached = bus.metrics().routeCacheSize();
            if (cached != warmSubjects || deliveries.count != warmSubjects) {
                throw new IllegalStateException("route cache holds " + cached + " subjects, " + deliveries.count
                        + " deliveries; expected " + warmSubjects);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            int open = bus.metrics().subscriptions();
            if (open != subscriptions) {
                throw new IllegalStateException(open + " subscriptions open, expected " + subscriptions);
            }
            long start = System.nanoTime();
            bus.close();
            System.out.printf(
                    "%n[close of a bus with %d subscriptions took %.1f ms]%n",
                    subscriptions, (System.nanoTime() - start) / 1e6);
        }
    }

    /** A Guava subscriber. */
    public static final class Counting {
        private final Deliveries deliveries;

        Counting(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @Subscribe
        public void on(Activity activity) {
            deliveries.count++;
        }
    }

    @State(Scope.Thread)
    public static class GuavaPopulated {
        @Param({"10", "1000", "100000"})
        int subscriptions;

        final Deliveries deliveries = new Deliveries();
        com.google.common.eventbus.EventBus bus;

        @Setup(Level.Trial)
        public void setUp() {
            bus = new com.google.common.eventbus.EventBus("churn");
            for (int i = 0; i < subscriptions; i++) {
                bus.register(new Counting(deliveries));
            }
        }
    }

    @State(Scope.Thread)
    public static class MapPopulated {
        @Param({"10", "1000", "100000"})
        int subscriptions;

        final Map<Object, Object> map = new ConcurrentHashMap<>();

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < subscriptions; i++) {
                map.put(new Object(), FillerPatterns.of(i));
            }
        }
    }

    @Benchmark
    public Subscription literal(Populated state) {
        Subscription subscription = state.bus.subscribe(state.literal, state.handler, state.options);
        subscription.close();
        return subscription;
    }

    @Benchmark
    public Subscription wildcard(Populated state) {
        Subscription subscription = state.bus.subscribe(state.wildcard, state.handler, state.options);
        subscription.close();
        return subscription;
    }

    @Benchmark
    public Object guavaRegister(GuavaPopulated state) {
        Counting subscriber = new Counting(state.deliveries);
        state.bus.register(subscriber);
        state.bus.unregister(subscriber);
        return subscriber;
    }

    @Benchmark
    public Object concurrentMap(MapPopulated state) {
        Object key = new Object();
        state.map.put(key, state);
        return state.map.remove(key);
    }
}
