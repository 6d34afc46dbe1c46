package dev.colony.bench;

import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import dev.colony.messaging.Envelope;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Pattern routing at scale: a bus holding {@code subscriptions} (10,000 or 100,000) subscriptions, one
 * per service {@code svc.<i>.req}, of which 1% (every hundredth) are wildcards {@code svc.<i>.*}.
 *
 * <ul>
 *   <li>{@code colonyRoute} / {@code vertxRoute}: {@value #PUBLISHES} events per invocation to subjects
 *       {@code svc.<k>.req} for k drawn at random (fixed seed) from all services; each reaches exactly its
 *       one subscriber. Scores are routed and delivered events per second. Colony delivers DIRECT on the
 *       publisher's thread; Vert.x, which has exact addresses only (its baseline here: every one of its
 *       consumers is exact), delivers on its consumers' event loops (registered by one verticle instance
 *       per core) and sends from an event-loop context. So the Vert.x figure includes a hand-off.
 *   <li>{@code colonyChurn} / {@code vertxChurn}: on that populated bus, subscribe one more literal
 *       pattern and close it again, {@value #CHURN} times per invocation; scores are subscribe-and-close
 *       pairs per second. Every subscription is checked open after subscribing and closed after closing.
 * </ul>
 *
 * <p>Each iteration ends with exact checks: deliveries equal the events published, and every churned
 * subscription was registered and removed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RoutingBenchmark {
    static final int PUBLISHES = 4096;
    static final int CHURN = 1000;
    static final int WILDCARD_EVERY = 100;

    @State(Scope.Thread)
    public abstract static class Variant {
        @Param({"10000", "100000"})
        public int subscriptions;

        final Envelope payload = PeerPayload.envelope();
        final String[] subjects = new String[PUBLISHES];
        long expectedDeliveries;
        long churned;
        long confirmedChurn;

        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(20261127L);
            for (int i = 0; i < PUBLISHES; i++) {
                subjects[i] = "svc." + random.nextInt(subscriptions) + ".req";
            }
            start();
        }

        abstract void start();

        abstract long delivered();

        abstract void stop();

        @TearDown(Level.Iteration)
        public void verify() {
            if (delivered() != expectedDeliveries || confirmedChurn != churned) {
                throw new IllegalStateException(getClass().getSimpleName() + ": expected " + expectedDeliveries
                        + " deliveries, counted " + delivered() + "; " + churned + " churn pairs, "
                        + confirmedChurn + " confirmed");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stop();
        }
    }

    public static class Colony extends Variant {
        final Subject[] parsed = new Subject[PUBLISHES];
        final SubscribeOptions direct = SubscribeOptions.direct();
        EventBus bus;
        long count;

        @Override
        void start() {
            bus = EventBus.create();
            for (int i = 0; i < subscriptions; i++) {
                String pattern = i % WILDCARD_EVERY == 0 ? "svc." + i + ".*" : "svc." + i + ".req";
                bus.subscribe(SubjectPattern.of(pattern), event -> count++, direct);
            }
            for (int i = 0; i < PUBLISHES; i++) {
                parsed[i] = Subject.of(subjects[i]);
            }
        }

        @Override
        long delivered() {
            return count;
        }

        @Override
        void stop() {
            int open = bus.metrics().subscriptions();
            bus.close();
            if (open != subscriptions) {
                throw new IllegalStateException(open + " subscriptions open, expected " + subscriptions);
            }
        }
    }

    public static class VertxBus extends Variant {
        final DeliveryTally tally = new DeliveryTally();
        Vertx vertx;
        io.vertx.core.eventbus.EventBus bus;
        Context producer;

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
                            List<Future<Void>> registered = new ArrayList<>();
                            for (int i = next.getAndIncrement(); i < subscriptions; i += instances) {
                                registered.add(vertx.eventBus()
                                        .<Envelope>localConsumer("svc." + i + ".req", message -> {
                                            if (message.body() == payload) {
                                                tally.increment();
                                            }
                                        })
                                        .completion());
                            }
                            return Future.all(registered);
                        }
                    },
                    new DeploymentOptions().setInstances(instances)));
            producer = vertx.getOrCreateContext();
        }

        /** Runs {@code work} on the producer's event-loop context and waits for it. */
        void onProducer(Runnable work) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            producer.runOnContext(ignored -> {
                work.run();
                done.complete(null);
            });
            PekkoPeer.await(done);
        }

        @Override
        long delivered() {
            tally.awaitAtLeast(expectedDeliveries);
            return tally.get();
        }

        @Override
        void stop() {
            VertxPeer.await(vertx.close());
        }
    }

    @Benchmark
    @OperationsPerInvocation(PUBLISHES)
    public long colonyRoute(Colony state) {
        for (Subject subject : state.parsed) {
            state.bus.publish(subject, state.payload);
        }
        state.expectedDeliveries += PUBLISHES;
        return state.count;
    }

    @Benchmark
    @OperationsPerInvocation(PUBLISHES)
    public long vertxRoute(VertxBus state) {
        state.onProducer(() -> {
            for (String subject : state.subjects) {
                state.bus.send(subject, state.payload);
            }
        });
        state.expectedDeliveries += PUBLISHES;
        return state.tally.awaitAtLeast(state.expectedDeliveries);
    }

    @Benchmark
    @OperationsPerInvocation(CHURN)
    public long colonyChurn(Colony state) {
        for (int i = 0; i < CHURN; i++) {
            Subscription subscription =
                    state.bus.subscribe(SubjectPattern.of("svc.churn." + (i & 63)), event -> {}, state.direct);
            boolean opened = subscription.isOpen();
            subscription.close();
            if (opened && !subscription.isOpen()) {
                state.confirmedChurn++;
            }
        }
        state.churned += CHURN;
        return state.confirmedChurn;
    }

    @Benchmark
    @OperationsPerInvocation(CHURN)
    public long vertxChurn(VertxBus state) {
        state.onProducer(() -> {
            for (int i = 0; i < CHURN; i++) {
                MessageConsumer<Object> consumer = state.bus.localConsumer("svc.churn." + (i & 63), message -> {});
                boolean opened = consumer.isRegistered();
                consumer.unregister();
                if (opened && !consumer.isRegistered()) {
                    state.confirmedChurn++;
                }
            }
        });
        state.churned += CHURN;
        return state.confirmedChurn;
    }
}
