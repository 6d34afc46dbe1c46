package dev.colony.bench;

import com.google.common.eventbus.AllowConcurrentEvents;
import com.google.common.eventbus.Subscribe;
import dev.colony.bus.EventBus;
import dev.colony.bus.OverflowPolicy;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.messaging.Envelope;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Fan-out: one publisher, {@code subscribers} subscribers (10, 100, 1,000) of one subject, every event
 * delivered to all of them. Each invocation makes {@value #DELIVERIES} deliveries ({@value #DELIVERIES}
 * / {@code subscribers} publishes of the same ~500-byte {@link PeerPayload envelope}); scores are
 * deliveries per second. Each iteration ends by checking the exact delivery count.
 *
 * <p>Two questions, because the peers deliver in two ways:
 *
 * <ul>
 *   <li>On the publisher's thread: {@code colonyDirect} (DIRECT subscriptions on one literal subject,
 *       routed through the pattern trie and route cache) beside {@code guava} (Guava EventBus, one
 *       {@code @Subscribe @AllowConcurrentEvents} method per subscriber, Guava's fastest setting).
 *   <li>On other threads: {@code colonyAsync} (ASYNC subscriptions, each with its bounded mailbox, BLOCK,
 *       and its virtual thread) beside {@code vertx} ({@code publish} to local consumers registered by one
 *       verticle instance per core, on their event loops; unbounded) and {@code pekko} (one typed actor per
 *       subscriber, the publisher tells each; unbounded mailboxes, default dispatcher).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class FanoutBenchmark {
    static final int DELIVERIES = 100_000;
    static final String SUBJECT = "agent.42.status";

    @State(Scope.Thread)
    public abstract static class Variant {
        @Param({"10", "100", "1000"})
        public int subscribers;

        final Envelope payload = PeerPayload.envelope();
        int publishes;
        long expected;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            publishes = DELIVERIES / subscribers;
            start();
        }

        abstract void start() throws Exception;

        abstract void publish();

        /** Deliveries counted so far. */
        abstract long counted();

        /** Waits until {@code expected} deliveries were counted (asynchronous variants). */
        void await() {}

        abstract void stop() throws Exception;

        /** Publishes {@code n} events; a peer whose code publishes from its own threads overrides it. */
        void publishBatch(int n) {
            for (int i = 0; i < n; i++) {
                publish();
            }
        }

        final long run() {
            publishBatch(publishes);
            expected += (long) publishes * subscribers;
            await();
            return expected;
        }

        @TearDown(Level.Iteration)
        public void verify() {
            if (counted() != expected) {
                throw new IllegalStateException(
                        getClass().getSimpleName() + ": expected " + expected + " deliveries, counted " + counted());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            stop();
        }
    }

    /** Counts on the publishing thread. */
    public abstract static class SameThread extends Variant {
        long count;

        @Override
        long counted() {
            return count;
        }
    }

    /** Counts on many consumer threads. */
    public abstract static class OtherThreads extends Variant {
        final DeliveryTally tally = new DeliveryTally();

        @Override
        long counted() {
            return tally.get();
        }

        @Override
        void await() {
            tally.awaitAtLeast(expected);
        }

        final void consume(Object message) {
            if (message == payload) {
                tally.increment();
            }
        }
    }

    public static class ColonyDirect extends SameThread {
        final Subject subject = Subject.of(SUBJECT);
        EventBus bus;

        @Override
        void start() {
            bus = EventBus.create();
            for (int i = 0; i < subscribers; i++) {
                bus.subscribe(SubjectPattern.of(SUBJECT), event -> count++, SubscribeOptions.direct());
            }
        }

        @Override
        void publish() {
            bus.publish(subject, payload);
        }

        @Override
        void stop() {
            bus.close();
        }
    }

    /** A Guava subscriber declared safe for concurrent calls, so Guava does not synchronize it. */
    public static final class GuavaSubscriber {
        private final SameThread counter;

        GuavaSubscriber(SameThread counter) {
            this.counter = counter;
        }

        @Subscribe
        @AllowConcurrentEvents
        public void on(Envelope envelope) {
            counter.count++;
        }
    }

    public static class Guava extends SameThread {
        com.google.common.eventbus.EventBus bus;

        @Override
        void start() {
            // Guava's default EventBus dispatches on the posting thread, like Colony's DIRECT
            bus = new com.google.common.eventbus.EventBus("fanout");
            for (int i = 0; i < subscribers; i++) {
                bus.register(new GuavaSubscriber(this));
            }
        }

        @Override
        void publish() {
            bus.post(payload);
        }

        @Override
        void stop() {}
    }

    public static class ColonyAsync extends OtherThreads {
        final Subject subject = Subject.of(SUBJECT);
        EventBus bus;

        @Override
        void start() {
            bus = EventBus.create();
            for (int i = 0; i < subscribers; i++) {
                bus.subscribe(
                        SubjectPattern.of(SUBJECT),
                        event -> consume(event.payload()),
                        SubscribeOptions.async().withOverflow(OverflowPolicy.BLOCK));
            }
        }

        @Override
        void publish() {
            bus.publish(subject, payload);
        }

        @Override
        void stop() {
            bus.close();
        }
    }

    public static class VertxPublish extends OtherThreads {
        Vertx vertx;
        io.vertx.core.eventbus.EventBus bus;
        io.vertx.core.Context producer;

        @Override
        void start() {
            vertx = VertxPeer.start(Envelope.class);
            bus = vertx.eventBus();
            int instances = Runtime.getRuntime().availableProcessors();
            AtomicInteger next = new AtomicInteger();
            VertxPeer.await(vertx.deployVerticle(
                    () -> new VerticleBase() {
                        @Override
                        public Future<?> start() {
                            int index = next.getAndIncrement();
                            List<Future<Void>> registered = new ArrayList<>();
                            for (int i = index; i < subscribers; i += instances) {
                                registered.add(vertx.eventBus()
                                        .<Envelope>localConsumer(SUBJECT, message -> consume(message.body()))
                                        .completion());
                            }
                            return Future.all(registered);
                        }
                    },
                    new DeploymentOptions().setInstances(instances)));
            producer = vertx.getOrCreateContext();
        }

        @Override
        void publish() {
            bus.publish(SUBJECT, payload);
        }

        /** Publishes the batch from an event-loop context, as Vert.x code does (see HandoffBenchmark). */
        @Override
        void publishBatch(int n) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            producer.runOnContext(ignored -> {
                for (int i = 0; i < n; i++) {
                    publish();
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

    public static class Pekko extends OtherThreads {
        PekkoPeer pekko;
        List<ActorRef<Envelope>> actors;

        @Override
        void start() {
            pekko = new PekkoPeer("fanout");
            actors = pekko.spawn(
                    Behaviors.<Envelope>receiveMessage(message -> {
                        consume(message);
                        return Behaviors.same();
                    }),
                    "subscriber-",
                    subscribers);
        }

        @Override
        void publish() {
            for (ActorRef<Envelope> actor : actors) {
                actor.tell(payload);
            }
        }

        @Override
        void stop() {
            pekko.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(DELIVERIES)
    public long colonyDirect(ColonyDirect state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(DELIVERIES)
    public long guava(Guava state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(DELIVERIES)
    public long colonyAsync(ColonyAsync state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(DELIVERIES)
    public long vertx(VertxPublish state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(DELIVERIES)
    public long pekko(Pekko state) {
        return state.run();
    }
}
