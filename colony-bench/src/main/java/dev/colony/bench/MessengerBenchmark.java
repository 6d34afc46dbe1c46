package dev.colony.bench;

import dev.colony.bus.EventBus;
import dev.colony.bus.OverflowPolicy;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 * What does the messenger cost over the bus's ASYNC hand-off it shares its mailbox with?
 *
 * <ul>
 *   <li>{@code sendByReference}: one thread sends {@value #BATCH} envelopes by reference into one inbox
 *       (bound {@value #CAPACITY}, BLOCK) and waits until the handler counted them; deliveries per second.
 *       Baseline {@code busAsync}: the same payload published to one ASYNC subscription, same bound.
 *   <li>{@code requestReply}: one requester awaits each reply before the next request; the score is
 *       round trips per second (its inverse is the mean round trip), and {@code -bm sample} gives the
 *       percentiles.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class MessengerBenchmark {
    static final int BATCH = 16_384;
    static final int CAPACITY = 4096;
    static final AgentId ALICE = AgentId.of("alice");
    static final AgentId BOB = AgentId.of("bob");

    @State(Scope.Thread)
    public static class Send {
        final DeliveryCounter counter = new DeliveryCounter();
        final Activity payload = Activity.sample();
        final Envelope envelope = Envelope.of(ALICE, BOB, "activity", payload);
        Messenger messenger;
        long expected;
        long refused;

        @Setup(Level.Trial)
        public void setUp() {
            messenger = Messenger.create();
            messenger.open(BOB, InboxOptions.defaults().withCapacity(CAPACITY)).attach(m -> {
                if (m.payload() == payload) {
                    counter.increment();
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            var metrics = messenger.metrics();
            if (counter.get() != expected || refused != 0 || metrics.delivered() != expected) {
                throw new IllegalStateException("expected " + expected + " deliveries, handler counted " + counter.get()
                        + ", " + refused + " refused; the messenger reports " + metrics);
            }
            messenger.close();
        }
    }

    @State(Scope.Thread)
    public static class Bus {
        final DeliveryCounter counter = new DeliveryCounter();
        final Activity payload = Activity.sample();
        EventBus bus;
        long expected;

        @Setup(Level.Trial)
        public void setUp() {
            bus = EventBus.create();
            bus.subscribe(
                    SubjectPattern.of("agent.bob.inbox"),
                    event -> {
                        if (event.payload() == payload) {
                            counter.increment();
                        }
                    },
                    SubscribeOptions.async().withCapacity(CAPACITY).withOverflow(OverflowPolicy.BLOCK));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (counter.get() != expected) {
                throw new IllegalStateException("expected " + expected + ", handler counted " + counter.get());
            }
            bus.close();
        }
    }

    @State(Scope.Thread)
    public static class Requests {
        Messenger messenger;
        long wrong;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            messenger = Messenger.create();
            messenger.open(BOB).attach(m -> messenger.reply(m, (Integer) m.payload() + 1));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            var metrics = messenger.metrics();
            messenger.close();
            if (wrong != 0 || metrics.pendingRequests() != 0) {
                throw new IllegalStateException(wrong + " wrong replies; the messenger reports " + metrics);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long sendByReference(Send state) {
        for (int i = 0; i < BATCH; i++) {
            if (state.messenger.send(state.envelope) != SendOutcome.DELIVERED) {
                state.refused++;
            }
        }
        state.expected += BATCH;
        return state.counter.awaitAtLeast(state.expected);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long busAsync(Bus state) {
        for (int i = 0; i < BATCH; i++) {
            state.bus.publish("agent.bob.inbox", state.payload);
        }
        state.expected += BATCH;
        return state.counter.awaitAtLeast(state.expected);
    }

    @Benchmark
    public Object requestReply(Requests state) {
        int n = state.next++;
        CompletableFuture<Envelope> reply =
                state.messenger.request(Envelope.of(ALICE, BOB, "add-one", n), Duration.ofSeconds(30));
        Envelope envelope = reply.join();
        if (!envelope.payload().equals(n + 1)) {
            state.wrong++;
        }
        return envelope;
    }
}
