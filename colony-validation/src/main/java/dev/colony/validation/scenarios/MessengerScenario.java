package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.JsonMessageCodec;
import dev.colony.messaging.MessageCodec;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerMetrics;
import dev.colony.messaging.SendOutcome;
import dev.colony.metrics.LatencySnapshot;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.ThroughputSpread;
import dev.colony.validation.Variant;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * {@code messenger}: 10,000 messages of the original shape (~4.2 KB as JSON) sent by 100 agents, each on
 * its own virtual thread, to their neighbours' inboxes with JSON marshalling on every send; each inbox
 * decodes into the payload record and checks every field and every double. The same messages are also
 * sent by reference, and a ~500-byte variant is marshalled too. A baseline does the bare codec round
 * trip (encode, decode, check) of the same messages with the same 100 threads, so the messenger's cost
 * over the codec is a ratio from one run. Request/reply round trips close it.
 */
final class MessengerScenario implements Scenario {
    static final int MESSAGES = 10_000;
    static final int LARGE_ENTRIES = 100;
    static final int SMALL_ENTRIES = 6;
    static final int REQUESTERS = 10;
    static final int REQUESTS_PER_REQUESTER = 1_000;

    @Override
    public String name() {
        return "messenger";
    }

    @Override
    public String description() {
        return "10,000 ~4.2 KB messages, 100 agents, JSON on every send, every field checked; 500 B, by reference,"
                + " bare codec, request/reply";
    }

    @Override
    public int defaultWarmup() {
        return 10;
    }

    @Override
    public int defaultIterations() {
        return 10;
    }

    /** The bare codec's figures and the messenger's cost over it: the time per message, as a percentage. */
    private record CodecFigures(
            String what,
            double throughputPerSec,
            @JsonUnwrapped ThroughputSpread spread,
            ScenarioResult.Verified verified,
            double messengerOverheadPct) {}

    /** A variant of the send: its message size, its figures, and the bare codec for the same messages. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Sized(int messageBytes, @JsonUnwrapped Variant figures, CodecFigures codecBaseline) {}

    /** Request/reply round trips. */
    private record Requests(
            int requesters,
            int requestsPerRequester,
            String mode,
            double roundTripsPerSec,
            @JsonUnwrapped ThroughputSpread spread,
            ScenarioResult.Latency latencyUs,
            ScenarioResult.Verified verified) {}

    /** The messenger's own marshal or unmarshal timing, in microseconds. */
    private record CodecLatency(double p50, double p99, double max, long count) {}

    /** The figures under {@code details}. */
    private record Details(
            String mode,
            int agents,
            int messageBytes,
            String latencyBasis,
            @JsonUnwrapped ThroughputSpread spread,
            CodecLatency marshalUs,
            CodecLatency unmarshalUs,
            CodecFigures codecBaseline,
            @JsonProperty("envelope_500b") Sized envelope500b,
            Sized byReference,
            Requests requestReply) {}

    /** A send measured, with the messenger's own codec timing. */
    private record Sent(Measurement m, MessengerMetrics metrics) {}

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        MessengerWorkload large = new MessengerWorkload(MESSAGES, LARGE_ENTRIES, 20261127L);
        MessengerWorkload small = new MessengerWorkload(MESSAGES, SMALL_ENTRIES, 20261128L);
        Measurement codec4k = codecBaseline(settings, "4.2 KB", large);
        Sent marshalled = send(settings, "JSON on every send, 4.2 KB", large, true);
        Measurement codecSmall = codecBaseline(settings, "500 B", small);
        Measurement marshalledSmall =
                send(settings, "JSON on every send, 500 B", small, true).m();
        Measurement byReference = send(settings, "by reference", large, false).m();
        Measurement requests = requestReply(settings);
        Measurement m = marshalled.m();
        Details details = new Details(
                "JSON on every send (encode by the sender, decode into the payload record by the inbox)",
                MessengerWorkload.AGENTS,
                large.encodedBytes,
                "send call to the start of the recipient's check, every message",
                m.spread(),
                latency(marshalled.metrics().marshal()),
                latency(marshalled.metrics().unmarshal()),
                codec(codec4k, m),
                new Sized(
                        small.encodedBytes,
                        Variant.of(marshalledSmall, true, null),
                        codec(codecSmall, marshalledSmall)),
                new Sized(large.encodedBytes, Variant.of(byReference, true, null), null),
                requestDetails(requests));
        boolean codecsVerified = codec4k.verified() && codecSmall.verified();
        ScenarioResult.Verified verified = ScenarioResult.verified(m, marshalledSmall, byReference, requests);
        return ScenarioResult.of(name(), m, verified, ScenarioResult.ORIGINAL_TARGET, codecsVerified, details)
                .with(ScenarioResult.Baseline.of(
                        "bare codec round trip",
                        "the same 10,000 messages on the same 100 virtual threads: JsonMessageCodec encode, decode"
                                + " into the payload record and the same check of every field (no messenger, no inboxes)",
                        codec4k,
                        m,
                        false));
    }

    /** Every agent sends its messages to its neighbour on its own virtual thread; counts checked receipts. */
    private static Sent send(BenchSettings settings, String what, MessengerWorkload workload, boolean marshal)
            throws Exception {
        int total = workload.total();
        int perAgent = workload.messages[0].length;
        long[][] sentAt = new long[MessengerWorkload.AGENTS][perAgent];
        try (Messenger messenger = Messenger.builder().marshalEverySend(marshal).build()) {
            LongAdder good = new LongAdder();
            LongAdder seen = new LongAdder();
            Histogram[] latencyOf = attachAll(messenger, workload, sentAt, good, seen);
            Measurement m = Loop.measure(settings, "messenger: " + what, total, it -> {
                good.reset();
                seen.reset();
                for (Histogram h : latencyOf) {
                    h.reset();
                }
                long elapsed = concurrently(
                        perAgent,
                        (agent, i) -> {
                            sentAt[agent][i] = System.nanoTime();
                            if (messenger.send(workload.messages[agent][i]) != SendOutcome.DELIVERED) {
                                throw new IllegalStateException("message not delivered");
                            }
                        },
                        () -> awaitCount(seen, total));
                return Loop.Tally.of(elapsed, good.sum(), merged(latencyOf));
            });
            return new Sent(m, messenger.metrics());
        }
    }

    /** Opens every agent's inbox with a handler that times and checks each message; one histogram per inbox. */
    private static Histogram[] attachAll(
            Messenger messenger, MessengerWorkload workload, long[][] sentAt, LongAdder good, LongAdder seen) {
        Map<String, int[]> position = positions(workload);
        Histogram[] latencyOf = new Histogram[MessengerWorkload.AGENTS];
        for (int a = 0; a < MessengerWorkload.AGENTS; a++) {
            Histogram histogram = new Histogram(3_600_000_000_000L, 3);
            latencyOf[a] = histogram; // written only by agent a's inbox thread
            InboxOptions options = InboxOptions.defaults().withPayloadType(MessengerWorkload.Payload.class);
            messenger.open(workload.agents[a], options).attach(message -> {
                long now = System.nanoTime();
                int[] at = position.get(message.id());
                if (at != null) {
                    histogram.recordValue(Math.max(0, now - sentAt[at[0]][at[1]]));
                }
                if (workload.matches(message)) {
                    good.increment();
                }
                seen.increment();
            });
        }
        return latencyOf;
    }

    private static Histogram merged(Histogram[] histograms) {
        Histogram all = new Histogram(3_600_000_000_000L, 3);
        for (Histogram h : histograms) {
            all.add(h);
        }
        return all;
    }

    /** The bare codec: each agent's thread encodes, decodes into the record and checks its messages. */
    private static Measurement codecBaseline(BenchSettings settings, String what, MessengerWorkload workload)
            throws Exception {
        MessageCodec codec = JsonMessageCodec.create();
        LongAdder good = new LongAdder();
        int perAgent = workload.messages[0].length;
        return Loop.measure(settings, "messenger: bare codec round trip, " + what, workload.total(), it -> {
            good.reset();
            long elapsed = concurrently(
                    perAgent,
                    (agent, i) -> {
                        byte[] bytes = codec.encode(workload.messages[agent][i]);
                        if (workload.matches(codec.decode(bytes, MessengerWorkload.Payload.class))) {
                            good.increment();
                        }
                    },
                    () -> {});
            return Loop.Tally.of(elapsed, good.sum());
        });
    }

    /** Requesters on their own virtual threads each await {@value #REQUESTS_PER_REQUESTER} replies in turn. */
    private static Measurement requestReply(BenchSettings settings) throws Exception {
        AgentId server = AgentId.of("server");
        try (Messenger messenger = Messenger.create()) {
            messenger.open(server).attach(request -> messenger.reply(request, (Integer) request.payload() + 1));
            AgentId[] clients = new AgentId[REQUESTERS];
            Histogram[] latencyOf = new Histogram[REQUESTERS];
            for (int q = 0; q < REQUESTERS; q++) {
                clients[q] = AgentId.of("client-" + q);
                latencyOf[q] = new Histogram(3_600_000_000_000L, 3);
            }
            LongAdder good = new LongAdder();
            String what = "messenger: request/reply, " + REQUESTERS + " requesters";
            return Loop.measure(settings, what, REQUESTERS * REQUESTS_PER_REQUESTER, it -> {
                good.reset();
                for (Histogram h : latencyOf) {
                    h.reset();
                }
                long elapsed = concurrently(
                        REQUESTERS,
                        REQUESTS_PER_REQUESTER,
                        (q, i) -> {
                            Envelope request = Envelope.of(clients[q], server, "add-one", i);
                            long start = System.nanoTime();
                            Envelope reply = messenger
                                    .request(request, Duration.ofSeconds(30))
                                    .join();
                            latencyOf[q].recordValue(System.nanoTime() - start);
                            if (reply.payload().equals(i + 1)
                                    && reply.correlationId().equals(request.id())) {
                                good.increment();
                            }
                        },
                        () -> {});
                return Loop.Tally.of(elapsed, good.sum(), merged(latencyOf));
            });
        }
    }

    private interface Step {
        void run(int agent, int index) throws Exception;
    }

    private static long concurrently(int perAgent, Step step, Runnable awaitEnd) throws InterruptedException {
        return concurrently(MessengerWorkload.AGENTS, perAgent, step, awaitEnd);
    }

    /**
     * Starts one virtual thread per agent, releases them together, runs {@code step} for each of the
     * agent's indexes, and returns the nanoseconds from the release until all threads finished and
     * {@code awaitEnd} returned.
     */
    private static long concurrently(int agents, int perAgent, Step step, Runnable awaitEnd)
            throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(agents);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(agents);
        Throwable[] failure = new Throwable[1];
        for (int a = 0; a < agents; a++) {
            int agent = a;
            Thread.ofVirtual().start(() -> {
                ready.countDown();
                try {
                    go.await();
                    for (int i = 0; i < perAgent; i++) {
                        step.run(agent, i);
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        done.await();
        awaitEnd.run();
        long elapsed = System.nanoTime() - start;
        synchronized (failure) {
            if (failure[0] != null) {
                throw new IllegalStateException("a scenario thread failed: " + failure[0], failure[0]);
            }
        }
        return elapsed;
    }

    private static void awaitCount(LongAdder seen, long expected) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (seen.sum() < expected && System.nanoTime() < deadline) {
            Thread.yield(); // not a busy spin: on two cores it would take a core from the inboxes
        }
    }

    private static Map<String, int[]> positions(MessengerWorkload workload) {
        Map<String, int[]> position = new HashMap<>();
        for (int a = 0; a < workload.messages.length; a++) {
            for (int i = 0; i < workload.messages[a].length; i++) {
                position.put(workload.messages[a][i].id(), new int[] {a, i});
            }
        }
        return position;
    }

    private static CodecFigures codec(Measurement codec, Measurement messenger) {
        return new CodecFigures(
                "encode + decode into the record + check, same messages, same 100 virtual threads",
                Measurement.round(codec.throughput()),
                codec.spread(),
                new ScenarioResult.Verified(codec.expected(), codec.observed()),
                Measurement.round(100.0 * (codec.throughput() / messenger.throughput() - 1)));
    }

    private static Requests requestDetails(Measurement m) {
        return new Requests(
                REQUESTERS,
                REQUESTS_PER_REQUESTER,
                "by reference; each requester awaits its reply before the next request",
                Measurement.round(m.throughput()),
                m.spread(),
                m.latencyUs(),
                new ScenarioResult.Verified(m.expected(), m.observed()));
    }

    private static CodecLatency latency(LatencySnapshot snapshot) {
        return new CodecLatency(
                Measurement.micros(snapshot.p50()),
                Measurement.micros(snapshot.p99()),
                Measurement.micros(snapshot.max()),
                snapshot.count());
    }
}
