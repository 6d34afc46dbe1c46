package dev.colony.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import dev.colony.bus.EventBus;
import dev.colony.bus.OverflowPolicy;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * Direct hand-off: how many messages per second go from {@code producers} threads (1 or 2) to one
 * consumer, Colony beside the systems a Java team would otherwise use (ADR 0014)?
 *
 * <p>Every variant but the two {@code NewEnvelope} ones hands over the same ~500-byte {@link PeerPayload
 * envelope} instance; the consumer
 * counts it with the same {@link DeliveryCounter} when it is that instance; each invocation sends
 * {@value #BATCH} messages (split over the producers) and waits until the consumer counted them. The
 * consumer sleeps when idle in every variant except {@code disruptorYielding}, which keeps its core.
 * Where a variant has a bound, it is {@value #CAPACITY} and the producer waits when it is full.
 *
 * <ul>
 *   <li>{@code colonyBus}: one ASYNC subscription (bound {@value #CAPACITY}, BLOCK), drained by its
 *       virtual thread; the publisher does pattern routing and metrics.
 *   <li>{@code colonyBusPlatform}: the same, drained by a platform thread of its own ({@code
 *       EventBus.builder().drainerThreads(Thread.ofPlatform().daemon().factory())}, ADR 0065).
 *   <li>{@code colonyMessenger}: {@code Messenger.send} by reference into one inbox (bound {@value
 *       #CAPACITY}, BLOCK), the same envelope every time.
 *   <li>{@code colonyMessengerNewEnvelope}: the same, but each message is a new {@code Envelope.of} (a
 *       fresh id and time, as users send) around the shared payload; the consumer counts envelopes
 *       that carry that payload. The cost of creating the envelope is the producer's and is measured.
 *   <li>{@code arrayBlockingQueue}: the JDK floor, {@code put}/{@code take} to a platform thread.
 *   <li>{@code arrayBlockingQueueNewEnvelope}: the same queue carrying a new {@code Envelope.of} per
 *       message, the floor for {@code colonyMessengerNewEnvelope} (both pay for the envelope).
 *   <li>{@code disruptorBlocking}, {@code disruptorYielding}: LMAX Disruptor 4 ({@code
 *       BlockingWaitStrategy}, {@code YieldingWaitStrategy}), single or multi producer as the
 *       parameter says; no busy-spin strategy on a 2-core machine.
 *   <li>{@code vertx}: Vert.x 5 local event bus, {@code send} from an event-loop context per producer to
 *       a local consumer registered by a verticle (so it runs on that verticle's event loop); unbounded.
 *   <li>{@code pekko}: Pekko typed actor, {@code tell} to one actor on the default dispatcher; unbounded
 *       mailbox (the default).
 * </ul>
 *
 * <p>Each iteration ends by checking that the consumer counted exactly what was sent and that nothing
 * was refused; a mismatch fails the benchmark.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class HandoffBenchmark {
    static final int BATCH = 16_384;
    static final int CAPACITY = 4096;

    /** What every variant shares: the payload, the counter, the producers and the checks. */
    @State(Scope.Thread)
    public abstract static class Variant {
        /** Producer threads: 1 (one-to-one) or 2 (two-to-one). */
        @Param({"1", "2"})
        public int producers;

        final DeliveryCounter counter = new DeliveryCounter();
        final Envelope payload = PeerPayload.envelope();
        final AtomicLong refused = new AtomicLong();
        Producers sender;
        long expected;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            start();
            sender = new Producers(producers, this::send);
        }

        /** Starts the consumer. */
        abstract void start() throws Exception;

        /** Sends {@code n} payloads from the calling thread. */
        abstract void send(int n);

        /** Stops the consumer. */
        abstract void stop() throws Exception;

        /** Counts a delivery; only the consumer calls it. */
        final void consume(Object message) {
            if (message == payload) {
                counter.increment();
            }
        }

        final long run() {
            sender.sendBatch(BATCH);
            expected += BATCH;
            return counter.awaitAtLeast(expected);
        }

        @TearDown(Level.Iteration)
        public void verify() {
            if (counter.get() != expected || refused.get() != 0) {
                throw new IllegalStateException(getClass().getSimpleName() + ": expected " + expected
                        + " deliveries, consumer counted " + counter.get() + ", " + refused + " refused");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            sender.close();
            stop();
        }
    }

    public static class ColonyBus extends Variant {
        final Subject subject = Subject.of("agent.42.inbox");
        EventBus bus;

        @Override
        void start() {
            bus = EventBus.create();
            bus.subscribe(
                    SubjectPattern.of("agent.*.inbox"),
                    event -> consume(event.payload()),
                    SubscribeOptions.async().withCapacity(CAPACITY).withOverflow(OverflowPolicy.BLOCK));
        }

        @Override
        void send(int n) {
            for (int i = 0; i < n; i++) {
                if (bus.publish(subject, payload).accepted() != 1) {
                    refused.incrementAndGet();
                }
            }
        }

        @Override
        void stop() {
            long delivered = bus.metrics().delivered();
            bus.close();
            if (delivered != expected) {
                throw new IllegalStateException("the bus reports " + delivered + " deliveries, expected " + expected);
            }
        }
    }

    /** The same subscription drained by a platform thread of its own ({@code EventBus.Builder#drainerThreads}). */
    public static class ColonyBusPlatform extends ColonyBus {
        @Override
        void start() {
            bus = EventBus.builder()
                    .drainerThreads(Thread.ofPlatform().daemon().factory())
                    .build();
            bus.subscribe(
                    SubjectPattern.of("agent.*.inbox"),
                    event -> consume(event.payload()),
                    SubscribeOptions.async().withCapacity(CAPACITY).withOverflow(OverflowPolicy.BLOCK));
        }
    }

    public static class ColonyMessenger extends Variant {
        Messenger messenger;

        @Override
        void start() {
            messenger = Messenger.create();
            messenger
                    .open(PeerPayload.RECIPIENT, InboxOptions.defaults().withCapacity(CAPACITY))
                    .attach(this::consume);
        }

        @Override
        void send(int n) {
            for (int i = 0; i < n; i++) {
                if (messenger.send(payload) != SendOutcome.DELIVERED) {
                    refused.incrementAndGet();
                }
            }
        }

        @Override
        void stop() {
            messenger.close();
        }
    }

    public static class ColonyMessengerNewEnvelope extends ColonyMessenger {
        @Override
        void start() {
            messenger = Messenger.create();
            Object shared = payload.payload();
            messenger
                    .open(PeerPayload.RECIPIENT, InboxOptions.defaults().withCapacity(CAPACITY))
                    .attach(message -> {
                        if (message.payload() == shared) {
                            consume(payload);
                        }
                    });
        }

        @Override
        void send(int n) {
            Object shared = payload.payload();
            for (int i = 0; i < n; i++) {
                Envelope fresh = Envelope.of(PeerPayload.SENDER, PeerPayload.RECIPIENT, "targeted", shared);
                if (messenger.send(fresh) != SendOutcome.DELIVERED) {
                    refused.incrementAndGet();
                }
            }
        }
    }

    public static class JdkQueue extends Variant {
        static final Object STOP = new Object();
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
        Thread consumer;

        @Override
        void start() {
            consumer = Thread.ofPlatform().daemon().name("abq-consumer").start(() -> {
                try {
                    for (Object item; (item = queue.take()) != STOP; ) {
                        consume(item);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        @Override
        void send(int n) {
            try {
                for (int i = 0; i < n; i++) {
                    queue.put(payload);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        void stop() throws InterruptedException {
            queue.put(STOP);
            consumer.join();
        }
    }

    public static class JdkQueueNewEnvelope extends JdkQueue {
        @Override
        void start() {
            Object shared = payload.payload();
            consumer = Thread.ofPlatform().daemon().name("abq-consumer").start(() -> {
                try {
                    for (Object item; (item = queue.take()) != STOP; ) {
                        if (((Envelope) item).payload() == shared) {
                            consume(payload);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        @Override
        void send(int n) {
            Object shared = payload.payload();
            try {
                for (int i = 0; i < n; i++) {
                    queue.put(Envelope.of(PeerPayload.SENDER, PeerPayload.RECIPIENT, "targeted", shared));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A ring slot of the Disruptor. */
    static final class Slot {
        Object payload;
    }

    public abstract static class DisruptorVariant extends Variant {
        private static final EventTranslatorOneArg<Slot, Object> PUT =
                (slot, sequence, payload) -> slot.payload = payload;

        Disruptor<Slot> disruptor;
        RingBuffer<Slot> ring;

        abstract WaitStrategy waitStrategy();

        @Override
        void start() {
            ProducerType type = producers == 1 ? ProducerType.SINGLE : ProducerType.MULTI;
            disruptor = new Disruptor<>(Slot::new, CAPACITY, DaemonThreadFactory.INSTANCE, type, waitStrategy());
            disruptor.handleEventsWith((slot, sequence, endOfBatch) -> consume(slot.payload));
            ring = disruptor.start();
        }

        @Override
        void send(int n) {
            for (int i = 0; i < n; i++) {
                ring.publishEvent(PUT, payload);
            }
        }

        @Override
        void stop() {
            disruptor.shutdown();
        }
    }

    public static class DisruptorBlocking extends DisruptorVariant {
        @Override
        WaitStrategy waitStrategy() {
            return new BlockingWaitStrategy();
        }
    }

    public static class DisruptorYielding extends DisruptorVariant {
        @Override
        WaitStrategy waitStrategy() {
            return new YieldingWaitStrategy();
        }
    }

    public static class VertxBus extends Variant {
        static final String ADDRESS = "agent.42.inbox";
        Vertx vertx;
        io.vertx.core.eventbus.EventBus bus;
        final ThreadLocal<Context> producerContext = new ThreadLocal<>();

        @Override
        void start() {
            vertx = VertxPeer.start(Envelope.class);
            bus = vertx.eventBus();
            VertxPeer.await(vertx.deployVerticle(new VerticleBase() {
                @Override
                public Future<?> start() {
                    return vertx.eventBus()
                            .<Envelope>localConsumer(ADDRESS, message -> consume(message.body()))
                            .completion();
                }
            }));
        }

        /**
         * Vert.x code sends from its own contexts: each producer thread gets an event-loop context of its
         * own (the next event loop, round robin) and has it send the batch. A send from a thread outside
         * Vert.x is not how Vert.x applications send (in one scratch run it was about half as fast).
         */
        @Override
        void send(int n) {
            Context context = producerContext.get();
            if (context == null) {
                context = vertx.getOrCreateContext();
                producerContext.set(context);
            }
            CompletableFuture<Void> sent = new CompletableFuture<>();
            context.runOnContext(ignored -> {
                for (int i = 0; i < n; i++) {
                    bus.send(ADDRESS, payload);
                }
                sent.complete(null);
            });
            PekkoPeer.await(sent);
        }

        @Override
        void stop() {
            VertxPeer.await(vertx.close());
        }
    }

    public static class Pekko extends Variant {
        PekkoPeer pekko;
        ActorRef<Envelope> actor;

        @Override
        void start() {
            pekko = new PekkoPeer("handoff");
            actor = pekko.spawn(
                            Behaviors.<Envelope>receiveMessage(message -> {
                                consume(message);
                                return Behaviors.same();
                            }),
                            "consumer-",
                            1)
                    .getFirst();
        }

        @Override
        void send(int n) {
            for (int i = 0; i < n; i++) {
                actor.tell(payload);
            }
        }

        @Override
        void stop() {
            pekko.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long colonyBus(ColonyBus state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long colonyBusPlatform(ColonyBusPlatform state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long colonyMessenger(ColonyMessenger state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long colonyMessengerNewEnvelope(ColonyMessengerNewEnvelope state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long arrayBlockingQueue(JdkQueue state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long arrayBlockingQueueNewEnvelope(JdkQueueNewEnvelope state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long disruptorBlocking(DisruptorBlocking state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long disruptorYielding(DisruptorYielding state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long vertx(VertxBus state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long pekko(Pekko state) {
        return state.run();
    }
}
