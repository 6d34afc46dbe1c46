package dev.colony.cli.bench;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.JsonMessageCodec;
import dev.colony.messaging.MessageCodec;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerMetrics;
import dev.colony.messaging.SendOutcome;
import dev.colony.metrics.LatencySnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    static final double GOAL_MARSHALLED = 100_000;
    static final double GOAL_SMALL = 800_000;
    static final double GOAL_BY_REFERENCE = 20_000_000;
    static final double GOAL_OVERHEAD_PCT = 25;
    static final double GOAL_REQUEST_P99_US = 50;
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

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        MessengerWorkload large = new MessengerWorkload(MESSAGES, LARGE_ENTRIES, 20261127L);
        MessengerWorkload small = new MessengerWorkload(MESSAGES, SMALL_ENTRIES, 20261128L);

        settings.progress("messenger: bare codec round trip, 4.2 KB");
        Measurement codec4k = codecBaseline(settings, large);
        settings.progress("messenger: send with JSON on every send, 4.2 KB");
        MessengerMetrics[] marshalMetrics = new MessengerMetrics[1];
        Measurement marshalled = send(settings, large, true, marshalMetrics);
        settings.progress("messenger: bare codec round trip, 500 B");
        Measurement codecSmall = codecBaseline(settings, small);
        settings.progress("messenger: send with JSON on every send, 500 B");
        Measurement marshalledSmall = send(settings, small, true, new MessengerMetrics[1]);
        settings.progress("messenger: send by reference");
        Measurement byReference = send(settings, large, false, new MessengerMetrics[1]);
        settings.progress("messenger: request/reply, %d requesters", REQUESTERS);
        Measurement requests = requestReply(settings);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "JSON on every send (encode by the sender, decode into the payload record by the inbox)");
        details.put("agents", MessengerWorkload.AGENTS);
        details.put("message_bytes", large.encodedBytes);
        details.put("latency_basis", "send call to the start of the recipient's check, every message");
        details.putAll(marshalled.spread());
        details.put("marshal_us", latency(marshalMetrics[0].marshal()));
        details.put("unmarshal_us", latency(marshalMetrics[0].unmarshal()));
        details.put("goal_msgs_per_sec", GOAL_MARSHALLED);
        details.put("goal_met", marshalled.throughput() >= GOAL_MARSHALLED);
        details.put("codec_baseline", baseline(codec4k, marshalled));
        Map<String, Object> envelope = variant(marshalledSmall, small.encodedBytes, GOAL_SMALL);
        envelope.put("codec_baseline", baseline(codecSmall, marshalledSmall));
        details.put("envelope_500b", envelope);
        details.put("by_reference", variant(byReference, large.encodedBytes, GOAL_BY_REFERENCE));
        details.put("request_reply", requestDetails(requests));

        boolean verified = marshalled.verified()
                && marshalledSmall.verified()
                && byReference.verified()
                && requests.verified()
                && codec4k.verified()
                && codecSmall.verified();
        ScenarioResult result = new ScenarioResult(
                name(),
                marshalled.operations(),
                marshalled.iterations(),
                Measurement.round(marshalled.medianSeconds()),
                Measurement.round(marshalled.throughput()),
                marshalled.latencyUs(),
                new ScenarioResult.Verified(
                        marshalled.expected()
                                + marshalledSmall.expected()
                                + byReference.expected()
                                + requests.expected(),
                        marshalled.observed()
                                + marshalledSmall.observed()
                                + byReference.observed()
                                + requests.observed()),
                ScenarioResult.ORIGINAL_TARGET,
                verified && marshalled.throughput() >= ScenarioResult.ORIGINAL_TARGET.min(),
                details);
        return result.with(
                marshalled.perIteration(),
                ScenarioResult.Baseline.of(
                        "bare codec round trip",
                        "the same 10,000 messages on the same 100 virtual threads: JsonMessageCodec encode, decode"
                                + " into the payload record and the same check of every field (no messenger, no inboxes)",
                        codec4k,
                        marshalled,
                        false));
    }

    /** Every agent sends its messages to its neighbour on its own virtual thread; counts checked receipts. */
    private static Measurement send(
            BenchSettings settings, MessengerWorkload workload, boolean marshal, MessengerMetrics[] metricsOut)
            throws InterruptedException {
        int total = workload.total();
        Measurement m = new Measurement(total);
        int perAgent = workload.messages[0].length;
        long[][] sentAt = new long[MessengerWorkload.AGENTS][perAgent];
        Map<String, int[]> position = positions(workload);
        try (Messenger messenger = Messenger.builder().marshalEverySend(marshal).build()) {
            LongAdder good = new LongAdder();
            LongAdder seen = new LongAdder();
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
            for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
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
                if (it >= settings.warmup()) {
                    for (Histogram h : latencyOf) {
                        m.latency.add(h);
                    }
                    m.iteration(elapsed, total, good.sum());
                }
            }
            metricsOut[0] = messenger.metrics();
        }
        return m;
    }

    /** The bare codec: each agent's thread encodes, decodes into the record and checks its messages. */
    private static Measurement codecBaseline(BenchSettings settings, MessengerWorkload workload)
            throws InterruptedException {
        int total = workload.total();
        Measurement m = new Measurement(total);
        MessageCodec codec = JsonMessageCodec.create();
        LongAdder good = new LongAdder();
        int perAgent = workload.messages[0].length;
        for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
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
            if (it >= settings.warmup()) {
                m.iteration(elapsed, total, good.sum());
            }
        }
        return m;
    }

    /** Requesters on their own virtual threads each await {@value #REQUESTS_PER_REQUESTER} replies in turn. */
    private static Measurement requestReply(BenchSettings settings) throws InterruptedException {
        int total = REQUESTERS * REQUESTS_PER_REQUESTER;
        Measurement m = new Measurement(total);
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
            for (int it = 0; it < settings.warmup() + settings.iterations(); it++) {
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
                if (it >= settings.warmup()) {
                    for (Histogram h : latencyOf) {
                        m.latency.add(h);
                    }
                    m.iteration(elapsed, total, good.sum());
                }
            }
        }
        return m;
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

    private static Map<String, Object> variant(Measurement m, int bytes, double goal) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("message_bytes", bytes);
        details.put("throughput_per_sec", Measurement.round(m.throughput()));
        details.put("seconds", Measurement.round(m.medianSeconds()));
        details.putAll(m.spread());
        details.put("latency_us", m.latencyUs());
        details.put("verified", new ScenarioResult.Verified(m.expected(), m.observed()));
        details.put("goal_msgs_per_sec", goal);
        details.put("goal_met", m.throughput() >= goal);
        return details;
    }

    /** The bare codec's figures and the messenger's cost over it: the time per message, as a percentage. */
    private static Map<String, Object> baseline(Measurement codec, Measurement messenger) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("what", "encode + decode into the record + check, same messages, same 100 virtual threads");
        details.put("throughput_per_sec", Measurement.round(codec.throughput()));
        details.putAll(codec.spread());
        details.put("verified", new ScenarioResult.Verified(codec.expected(), codec.observed()));
        double overhead = 100.0 * (codec.throughput() / messenger.throughput() - 1);
        details.put("messenger_overhead_pct", Measurement.round(overhead));
        details.put("goal_overhead_pct_max", GOAL_OVERHEAD_PCT);
        details.put("goal_met", overhead <= GOAL_OVERHEAD_PCT);
        return details;
    }

    private static Map<String, Object> requestDetails(Measurement m) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requesters", REQUESTERS);
        details.put("requests_per_requester", REQUESTS_PER_REQUESTER);
        details.put("mode", "by reference; each requester awaits its reply before the next request");
        details.put("round_trips_per_sec", Measurement.round(m.throughput()));
        details.putAll(m.spread());
        details.put("latency_us", m.latencyUs());
        details.put("verified", new ScenarioResult.Verified(m.expected(), m.observed()));
        details.put("goal_p99_us_max", GOAL_REQUEST_P99_US);
        details.put("goal_met", m.latencyUs().p99() <= GOAL_REQUEST_P99_US);
        return details;
    }

    private static Map<String, Object> latency(LatencySnapshot snapshot) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("p50", Measurement.micros(snapshot.p50()));
        figures.put("p99", Measurement.micros(snapshot.p99()));
        figures.put("max", Measurement.micros(snapshot.max()));
        figures.put("count", snapshot.count());
        return figures;
    }
}
