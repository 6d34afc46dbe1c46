package dev.colony.bench;

import dev.colony.bus.EventBus;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
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
 * What regex subscriptions cost the router: the regex engine runs on route-cache misses (every regex
 * pattern against the new subject) and on subscribe and close (the pattern against every cached
 * subject). The bus holds {@code regexes} DIRECT subscriptions {@code agent\.worker-<i>\.(status|heartbeat)\.[0-9]+}.
 *
 * <ul>
 *   <li>{@code routeMiss}: {@value #PUBLISHES} publishes per invocation, cycling through {@value #SUBJECTS}
 *       distinct subjects {@code agent.worker-<k>.status.<j>} with a route cache of {@value #CACHE}, so
 *       every publish computes its route; half the subjects match exactly one pattern. Scores are
 *       publishes per second.
 *   <li>{@code subscribeAndClose}: with {@value #CACHE} subjects cached, subscribe one more regex pattern
 *       and close it; both check the pattern against every cached subject. Scores are pairs per second.
 * </ul>
 *
 * <p>Each iteration ends with exact checks: deliveries equal the matching publishes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RegexRoutingBenchmark {
    static final int PUBLISHES = 1024;
    static final int SUBJECTS = 8192;
    static final int CACHE = 1024;

    @State(Scope.Thread)
    public static class Populated {
        @Param({"10", "100"})
        public int regexes;

        final String[] subjects = new String[SUBJECTS];
        final SubjectPattern extra = SubjectPattern.regex("agent\\.worker-7\\.(status|heartbeat)\\.[0-9]+");
        final SubscribeOptions direct = SubscribeOptions.direct();
        EventBus bus;
        long count;
        long expected;
        int next;
        boolean warm;

        @Setup(Level.Trial)
        public void setUp() {
            bus = EventBus.builder().routeCacheCapacity(CACHE).build();
            for (int i = 0; i < regexes; i++) {
                String regex = "agent\\.worker-" + i + "\\.(status|heartbeat)\\.[0-9]+";
                bus.subscribe(SubjectPattern.regex(regex), event -> count++, direct);
            }
            for (int j = 0; j < SUBJECTS; j++) {
                subjects[j] = "agent.worker-" + (j % (2 * regexes)) + ".status." + j;
            }
        }

        /** Publishes the next subject in the cycle; a subject matches when its worker has a pattern. */
        void publishNext() {
            int j = next;
            next = (j + 1) % SUBJECTS;
            bus.publish(subjects[j], subjects);
            if (j % (2 * regexes) < regexes) {
                expected++;
            }
        }

        @TearDown(Level.Iteration)
        public void verify() {
            if (count != expected) {
                throw new IllegalStateException("expected " + expected + " deliveries, counted " + count);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            bus.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PUBLISHES)
    public void routeMiss(Populated state) {
        for (int i = 0; i < PUBLISHES; i++) {
            state.publishNext();
        }
    }

    @Benchmark
    public boolean subscribeAndClose(Populated state) {
        if (!state.warm) {
            state.warm = true;
            for (int i = 0; i < CACHE - 1; i++) {
                state.publishNext(); // fill the cache (short of a clear) so every subscribe scans it
            }
        }
        Subscription subscription = state.bus.subscribe(state.extra, event -> {}, state.direct);
        boolean open = subscription.isOpen();
        subscription.close();
        return open;
    }
}
