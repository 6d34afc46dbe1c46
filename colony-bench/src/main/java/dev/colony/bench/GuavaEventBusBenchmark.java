package dev.colony.bench;

import com.google.common.eventbus.AllowConcurrentEvents;
import com.google.common.eventbus.Subscribe;
import dev.colony.bus.EventBus;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Is Colony's DIRECT fan-out faster than Guava's EventBus on Guava's own workload? Guava dispatches by
 * event type: {@value #SUBSCRIBERS} subscribers with a {@code @Subscribe} method for one event class.
 * Colony gets the same: {@value #SUBSCRIBERS} DIRECT handlers on one literal subject, the same payload
 * instance. Scores are deliveries per second.
 *
 * <p>{@code guava} uses plain {@code @Subscribe} methods (Guava then synchronizes each call);
 * {@code guavaConcurrent} adds {@code @AllowConcurrentEvents}, Guava's fastest setting. On both sides all
 * subscribers are of one class, each library's best case for inlining.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class GuavaEventBusBenchmark {
    static final int SUBSCRIBERS = 10;

    /** A Guava subscriber; Guava wraps it so that calls to it never overlap. */
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

    /** A Guava subscriber declared safe for concurrent calls, so Guava does not synchronize it. */
    public static final class ConcurrentCounting {
        private final Deliveries deliveries;

        ConcurrentCounting(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @Subscribe
        @AllowConcurrentEvents
        public void on(Activity activity) {
            deliveries.count++;
        }
    }

    @State(Scope.Thread)
    public static class Guava {
        final Deliveries deliveries = new Deliveries();
        final Activity payload = Activity.sample();
        com.google.common.eventbus.EventBus bus;

        void register(com.google.common.eventbus.EventBus bus) {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                bus.register(new Counting(deliveries));
            }
        }

        @Setup(Level.Trial)
        public void setUp() {
            bus = new com.google.common.eventbus.EventBus("bench");
            register(bus);
            bus.post(payload);
            if (deliveries.count != SUBSCRIBERS) {
                throw new IllegalStateException("guava delivered " + deliveries.count);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (deliveries.count == 0 || deliveries.count % SUBSCRIBERS != 0) {
                throw new IllegalStateException("guava delivered " + deliveries.count);
            }
        }
    }

    @State(Scope.Thread)
    public static class GuavaConcurrent extends Guava {
        @Override
        void register(com.google.common.eventbus.EventBus bus) {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                bus.register(new ConcurrentCounting(deliveries));
            }
        }
    }

    @State(Scope.Thread)
    public static class Colony {
        final Deliveries deliveries = new Deliveries();
        final Activity payload = Activity.sample();
        final Subject subject = Subject.of("agent.spawn");
        EventBus bus;

        @Setup(Level.Trial)
        public void setUp() {
            bus = EventBus.create();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                bus.subscribe(subject.value(), deliveries.handler(0));
            }
            if (bus.publish(subject, payload).accepted() != SUBSCRIBERS) {
                throw new IllegalStateException("colony did not deliver to every subscriber");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            BusDirectBenchmark.verify(bus, deliveries);
            bus.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public void guava(Guava state) {
        state.bus.post(state.payload);
    }

    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public void guavaConcurrent(GuavaConcurrent state) {
        state.bus.post(state.payload);
    }

    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public PublishResult colony(Colony state) {
        return state.bus.publish(state.subject, state.payload);
    }

    /** The subject given as text, looked up in the route cache. */
    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public PublishResult colonyText(Colony state) {
        return state.bus.publish("agent.spawn", state.payload);
    }
}
