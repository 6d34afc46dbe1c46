package dev.colony.bench;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * Request/reply with {@value #REQUESTERS} concurrent requesters and one server: each invocation runs
 * {@value #ROUNDS} rounds in which every requester has one request outstanding (sent at once, then all
 * replies awaited), {@value #OPERATIONS} round trips in all; scores are round trips per second.
 *
 * <p>The request carries the ~500-byte {@link PeerPayload envelope}'s payload and a sequence number; the
 * server answers with the number plus one, and every reply is checked. {@code colony}: {@code
 * Messenger.request} to an agent whose inbox handler replies (100 requester ids, no inboxes needed).
 * {@code vertx}: {@code EventBus.request}, sent from an event-loop context, to a local consumer registered
 * by a verticle, which replies on its event loop. {@code pekko}: {@code AskPattern.ask} of a typed actor on the default dispatcher.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RequestReplyBenchmark {
    static final int REQUESTERS = 100;
    static final int ROUNDS = 10;
    static final int OPERATIONS = REQUESTERS * ROUNDS;
    static final AgentId SERVER = AgentId.of("server");
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A request: the payload and a number to answer. */
    public record Ask(int seq, Object body) {}

    /** Pekko's request: the ask and where to reply. */
    public record PekkoAsk(Ask ask, ActorRef<Integer> replyTo) {}

    @State(Scope.Thread)
    public abstract static class Variant {
        final Object body = PeerPayload.envelope().payload();

        @SuppressWarnings("unchecked")
        final CompletableFuture<Integer>[] replies = new CompletableFuture[REQUESTERS];

        long expected;
        long correct;
        int seq;

        @Setup(Level.Trial)
        public void setUp() {
            start();
        }

        abstract void start();

        /** Sends one request from requester {@code requester}; completes with the server's answer. */
        abstract CompletionStage<Integer> request(int requester, Ask ask);

        abstract void stop();

        /** Sends one request from every requester, numbered from {@code first}, into {@link #replies}. */
        void sendRound(int first) {
            for (int r = 0; r < REQUESTERS; r++) {
                replies[r] = request(r, new Ask(first + r, body)).toCompletableFuture();
            }
        }

        final long run() {
            for (int round = 0; round < ROUNDS; round++) {
                int first = seq;
                seq += REQUESTERS;
                sendRound(first);
                for (int r = 0; r < REQUESTERS; r++) {
                    if (PekkoPeer.await(replies[r]) == first + r + 1) {
                        correct++;
                    }
                }
            }
            expected += OPERATIONS;
            return correct;
        }

        @TearDown(Level.Iteration)
        public void verify() {
            if (correct != expected) {
                throw new IllegalStateException(
                        getClass().getSimpleName() + ": " + correct + " correct replies of " + expected);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stop();
        }
    }

    public static class Colony extends Variant {
        final AgentId[] requesters = new AgentId[REQUESTERS];
        Messenger messenger;

        @Override
        void start() {
            for (int r = 0; r < REQUESTERS; r++) {
                requesters[r] = AgentId.of("requester-" + r);
            }
            messenger = Messenger.create();
            messenger.open(SERVER).attach(m -> messenger.reply(m, ((Ask) m.payload()).seq() + 1));
        }

        @Override
        CompletionStage<Integer> request(int requester, Ask ask) {
            return messenger
                    .request(Envelope.of(requesters[requester], SERVER, "ask", ask), TIMEOUT)
                    .thenApply(reply -> (Integer) reply.payload());
        }

        @Override
        void stop() {
            long pending = messenger.metrics().pendingRequests();
            messenger.close();
            if (pending != 0) {
                throw new IllegalStateException(pending + " requests still pending");
            }
        }
    }

    public static class VertxBus extends Variant {
        static final String ADDRESS = "server";
        Vertx vertx;
        io.vertx.core.eventbus.EventBus bus;
        io.vertx.core.Context requesters;

        @Override
        void start() {
            vertx = VertxPeer.start(Ask.class);
            bus = vertx.eventBus();
            VertxPeer.await(vertx.deployVerticle(new VerticleBase() {
                @Override
                public Future<?> start() {
                    return vertx.eventBus()
                            .<Ask>localConsumer(
                                    ADDRESS,
                                    message -> message.reply(message.body().seq() + 1))
                            .completion();
                }
            }));
            requesters = vertx.getOrCreateContext();
        }

        /**
         * Vert.x code requests from its own contexts: the round is sent from an event-loop context (a
         * request from a thread outside Vert.x creates a context for every call).
         */
        @Override
        void sendRound(int first) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            requesters.runOnContext(ignored -> {
                super.sendRound(first);
                sent.complete(null);
            });
            PekkoPeer.await(sent);
        }

        @Override
        CompletionStage<Integer> request(int requester, Ask ask) {
            return bus.<Integer>request(ADDRESS, ask)
                    .map(io.vertx.core.eventbus.Message::body)
                    .toCompletionStage();
        }

        @Override
        void stop() {
            VertxPeer.await(vertx.close());
        }
    }

    public static class Pekko extends Variant {
        PekkoPeer pekko;
        ActorRef<PekkoAsk> server;

        @Override
        void start() {
            pekko = new PekkoPeer("request-reply");
            server = pekko.spawn(
                            Behaviors.<PekkoAsk>receiveMessage(message -> {
                                message.replyTo().tell(message.ask().seq() + 1);
                                return Behaviors.same();
                            }),
                            "server-",
                            1)
                    .getFirst();
        }

        @Override
        CompletionStage<Integer> request(int requester, Ask ask) {
            return AskPattern.ask(
                    server,
                    replyTo -> new PekkoAsk(ask, replyTo),
                    TIMEOUT,
                    pekko.system().scheduler());
        }

        @Override
        void stop() {
            pekko.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long colony(Colony state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long vertx(VertxBus state) {
        return state.run();
    }

    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long pekko(Pekko state) {
        return state.run();
    }
}
