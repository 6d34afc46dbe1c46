package dev.colony.validation.scenarios;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.RateLimit;
import dev.colony.server.auth.TokenSpec;
import dev.colony.server.auth.TokenStore;
import dev.colony.state.Task;
import dev.colony.state.TaskStatus;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * {@code serve}: what the HTTP door costs. An embedded colony behind {@code colony serve}'s server on a free
 * loopback port, with the production guard (a fresh token file; no rate limit) and its audit events; 8 client
 * threads, each with one keep-alive connection, claim and complete 8,000 tasks per iteration
 * ({@code POST /v1/tasks/claim}, then {@code POST /v1/tasks/{id}/complete} by lease token) until the queue is
 * empty. The tasks are submitted over HTTP before the timed part. A cycle counts when the colony itself holds
 * its task as COMPLETED after one attempt and no client completed it twice. Beside it, the handoff cycles
 * (ADR 0066): the same threads complete each task and claim the next in one request ({@code POST
 * /v1/tasks/{id}/complete} with {@code next}), as a worker does with it, claiming apart only to start and when
 * an answer held no next lease; the same verification. The same-run floor: the same threads and connections
 * ask the cheapest route, {@code GET /health/live}, twice per unit, so the ratio compares a cycle with two
 * requests that do nothing. Clients and server share the machine.
 */
final class ServeScenario implements Scenario {
    private static final int THREADS = 8;
    private static final int CYCLES = 8_000;
    private static final String ACCOUNT = "bench";
    private static final String FLOOR_ROUTE = "GET /health/live";

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String description() {
        return "task claim+complete cycles over HTTP keep-alive, 8 client threads, vs GET /health/live on the same"
                + " server; beside them, cycles completing with the next claim in one request";
    }

    @Override
    public int defaultWarmup() {
        return 3;
    }

    @Override
    public int defaultIterations() {
        return 10;
    }

    /** A route's latency over the measured iterations, in microseconds. */
    record RouteLatency(String route, long requests, double p50Us, double p99Us) {
        static RouteLatency of(String route, Histogram h) {
            return new RouteLatency(
                    route,
                    h.getTotalCount(),
                    Measurement.round(h.getValueAtPercentile(50) / 1e3),
                    Measurement.round(h.getValueAtPercentile(99) / 1e3));
        }
    }

    /**
     * The handoff cycles' figures: each task completed with the next claimed in the same request.
     *
     * @param throughputPerSec verified handoff cycles per second in the median iteration
     * @param overFloor handoff cycles per second over the floor's units (two trivial requests) per second
     * @param overTwoRequestCycles handoff cycles per second over the two-request cycles' (the headline)
     * @param requestsPerCycle requests sent over the measured iterations per cycle (a little over one: each
     *     thread's first claim, and the claims after answers without a next lease)
     */
    record HandoffCycles(
            String what,
            int cyclesPerIteration,
            double throughputPerSec,
            List<Double> throughputPerIteration,
            ScenarioResult.Verified verified,
            double overFloor,
            double overTwoRequestCycles,
            double requestsPerCycle) {}

    /**
     * The figures under {@code details}.
     *
     * @param cycleRequestsOverFloorRequests requests per second of the cycles (two per cycle) over the floor's
     * @param handoff the one-request cycles measured beside the headline's two-request cycles
     */
    private record Details(
            int clientThreads,
            int cyclesPerIteration,
            String floorRoute,
            double cycleRequestsOverFloorRequests,
            HandoffCycles handoff,
            List<RouteLatency> routes) {}

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        Path data = Files.createTempDirectory("colony-bench-serve");
        // the token exists before the guard reads the file (it reloads it only once a second)
        String token =
                TokenStore.of(data).create(TokenSpec.admin("bench", ACCOUNT)).secret();
        try (Colony colony = Colony.embedded();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(guard(data, colony))
                        .build()
                        .start()) {
            try (Clients clients = new Clients(server.port(), token)) {
                return measure(settings, colony, clients);
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The cycles, then the floor, on the same clients; the result with the floor as its baseline. */
    private ScenarioResult measure(BenchSettings settings, Colony colony, Clients clients) throws Exception {
        Histogram claim = new Histogram(3);
        Histogram complete = new Histogram(3);
        Histogram handoff = new Histogram(3);
        Histogram floor = new Histogram(3);
        Measurement cycles = Loop.measure(settings, "serve: claim+complete", CYCLES, it -> {
            boolean measured = it >= settings.warmup();
            return cycleRound(colony, clients, "i" + it + "-", measured ? claim : null, measured ? complete : null);
        });
        AtomicLong handoffRequests = new AtomicLong();
        Measurement handoffs = Loop.measure(settings, "serve: complete with next", CYCLES, it -> {
            boolean measured = it >= settings.warmup();
            return handoffRound(
                    colony, clients, "h" + it + "-", measured ? handoff : null, measured ? handoffRequests : null);
        });
        Measurement trivial = Loop.measure(settings, "serve: floor " + FLOOR_ROUTE, CYCLES, it -> {
            return floorRound(clients, it >= settings.warmup() ? floor : null);
        });
        Details details = new Details(
                THREADS,
                CYCLES,
                FLOOR_ROUTE,
                Measurement.round(cycles.throughput() / trivial.throughput()),
                new HandoffCycles(
                        "POST /v1/tasks/{id}/complete with next {agent, types}: the completion and the next claim"
                                + " in one request; a claim apart only to start and after an answer without next;"
                                + " each cycle checked against the colony as the headline's",
                        CYCLES,
                        Measurement.round(handoffs.throughput()),
                        handoffs.perIteration().throughputPerSec(),
                        ScenarioResult.verified(handoffs),
                        Measurement.round(handoffs.throughput() / trivial.throughput()),
                        Measurement.round(handoffs.throughput() / cycles.throughput()),
                        Measurement.round((double) handoffRequests.get() / (handoffs.iterations() * (long) CYCLES))),
                List.of(
                        RouteLatency.of("POST /v1/tasks/claim", claim),
                        RouteLatency.of("POST /v1/tasks/{id}/complete", complete),
                        RouteLatency.of("POST /v1/tasks/{id}/complete with next", handoff),
                        RouteLatency.of(FLOOR_ROUTE, floor)));
        return ScenarioResult.of(
                        name(),
                        cycles,
                        ScenarioResult.verified(cycles, handoffs),
                        new ScenarioResult.Target("throughput_per_sec", 0),
                        true,
                        details)
                .with(ScenarioResult.Baseline.of(
                        "trivial route, same server",
                        "two GET /health/live per unit on the same threads and keep-alive connections: the cost"
                                + " of two requests that do nothing; every answer checked for 200",
                        trivial,
                        cycles,
                        true));
    }

    private static Guard guard(Path data, Colony colony) {
        return Guard.builder(data, colony.bus()).rateLimit(RateLimit.UNLIMITED).build();
    }

    /**
     * Submits {@link #CYCLES} tasks named {@code prefix<n>} (untimed), then times the threads claiming and
     * completing until the queue is empty; the verified count is checked against the colony.
     */
    private static Loop.Tally cycleRound(
            Colony colony, Clients clients, String prefix, Histogram claim, Histogram complete) throws Exception {
        submit(clients, prefix);
        Set<String> done = ConcurrentHashMap.newKeySet();
        AtomicLong twice = new AtomicLong();
        Histogram cycle = new Histogram(3);
        long nanos = clients.each((c, t) -> {
            Histogram mine = new Histogram(3);
            Histogram claims = new Histogram(3);
            Histogram completes = new Histogram(3);
            String claimBody = "{\"agent\":\"w" + t + "\",\"types\":[\"bench\"]}";
            while (true) {
                long start = System.nanoTime();
                ServeConnection.Answer claimed = c.send("POST", "/v1/tasks/claim", claimBody);
                long mid = System.nanoTime();
                if (claimed.status() == 204) {
                    break;
                }
                String body = c.expect(claimed, 200, "claim");
                String id = field(body, "\"taskId\":\"", '"');
                String token = field(body, "\"token\":", ',');
                c.expect(c.send("POST", "/v1/tasks/" + id + "/complete", "{\"token\":" + token + "}"), 200, "complete");
                long end = System.nanoTime();
                claims.recordValue(mid - start);
                completes.recordValue(end - mid);
                mine.recordValue(end - start);
                if (!done.add(id)) {
                    twice.incrementAndGet();
                }
            }
            synchronized (cycle) {
                cycle.add(mine);
                if (claim != null) {
                    claim.add(claims);
                    complete.add(completes);
                }
            }
        });
        return Loop.Tally.of(nanos, verified(colony, done) - twice.get(), cycle);
    }

    /**
     * Submits {@link #CYCLES} tasks named {@code prefix<n>} (untimed), then times the threads completing each
     * task with the next claimed in the same request until the queue is empty: a thread claims apart to start
     * and after an answer without a next lease, and stops when that claim finds nothing. Verified as
     * {@link #cycleRound}; {@code requests} counts the requests sent (null for a warmup round).
     */
    private static Loop.Tally handoffRound(
            Colony colony, Clients clients, String prefix, Histogram handoff, AtomicLong requests) throws Exception {
        submit(clients, prefix);
        Set<String> done = ConcurrentHashMap.newKeySet();
        AtomicLong twice = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        Histogram cycle = new Histogram(3);
        long nanos = clients.each((c, t) -> {
            Histogram mine = new Histogram(3);
            String claimBody = "{\"agent\":\"w" + t + "\",\"types\":[\"bench\"]}";
            String next = ",\"next\":" + claimBody + "}";
            long mySent = 0;
            String lease = null;
            while (true) {
                if (lease == null) {
                    ServeConnection.Answer claimed = c.send("POST", "/v1/tasks/claim", claimBody);
                    mySent++;
                    if (claimed.status() == 204) {
                        break;
                    }
                    lease = c.expect(claimed, 200, "claim");
                }
                String id = field(lease, "\"taskId\":\"", '"');
                String token = field(lease, "\"token\":", ',');
                long start = System.nanoTime();
                String body = c.expect(
                        c.send("POST", "/v1/tasks/" + id + "/complete", "{\"token\":" + token + next),
                        200,
                        "complete with next");
                mine.recordValue(System.nanoTime() - start);
                mySent++;
                if (!body.startsWith("{\"taskId\":\"" + id + "\",\"outcome\":\"OK\"")) {
                    throw new IllegalStateException("complete with next of " + id + " answered " + body);
                }
                if (!done.add(id)) {
                    twice.incrementAndGet();
                }
                int at = body.indexOf("\"next\":");
                lease = at < 0 ? null : body.substring(at);
            }
            sent.addAndGet(mySent);
            synchronized (cycle) {
                cycle.add(mine);
                if (handoff != null) {
                    handoff.add(mine);
                }
            }
        });
        if (requests != null) {
            requests.addAndGet(sent.get());
        }
        return Loop.Tally.of(nanos, verified(colony, done) - twice.get(), cycle);
    }

    private static void submit(Clients clients, String prefix) throws InterruptedException {
        clients.each((c, t) -> {
            for (int n = t; n < CYCLES; n += THREADS) {
                c.expect(
                        c.send("POST", "/v1/tasks", "{\"id\":\"" + prefix + n + "\",\"type\":\"bench\",\"payload\":1}"),
                        201,
                        "submit");
            }
        });
    }

    /** How many of the ids the colony itself holds as COMPLETED after one attempt. */
    private static long verified(Colony colony, Set<String> done) {
        return done.stream()
                .filter(id -> colony.tasks()
                        .get(ACCOUNT + "_" + id)
                        .filter(ServeScenario::completedOnce)
                        .isPresent())
                .count();
    }

    private static boolean completedOnce(Task task) {
        return task.status() == TaskStatus.COMPLETED && task.attempts() == 1;
    }

    /** Two floor requests per unit, spread over the threads. */
    private static Loop.Tally floorRound(Clients clients, Histogram floor) throws Exception {
        AtomicLong answered = new AtomicLong();
        Histogram all = new Histogram(3);
        long nanos = clients.each((c, t) -> {
            Histogram mine = new Histogram(3);
            long ok = 0;
            for (int n = t; n < 2 * CYCLES; n += THREADS) {
                long start = System.nanoTime();
                ServeConnection.Answer a = c.send("GET", "/health/live", null);
                mine.recordValue(System.nanoTime() - start);
                if (a.status() == 200) {
                    ok++;
                }
            }
            answered.addAndGet(ok);
            synchronized (all) {
                all.add(mine);
                if (floor != null) {
                    floor.add(mine);
                }
            }
        });
        return Loop.Tally.of(nanos, answered.get() / 2, all);
    }

    private static String field(String body, String prefix, char end) {
        int from = body.indexOf(prefix) + prefix.length();
        return body.substring(from, body.indexOf(end, from));
    }

    /** The client threads, each with its keep-alive connection, opened once per run. */
    private static final class Clients implements AutoCloseable {
        private final List<ServeConnection> connections = new ArrayList<>();

        Clients(int port, String token) throws IOException {
            for (int t = 0; t < THREADS; t++) {
                connections.add(new ServeConnection(port, token));
            }
        }

        @FunctionalInterface
        interface Work {
            void run(ServeConnection connection, int thread) throws IOException;
        }

        @Override
        public void close() throws IOException {
            for (ServeConnection c : connections) {
                c.close();
            }
        }

        /** Runs {@code work} on every thread at once (one platform thread each); the nanoseconds from start to last. */
        long each(Work work) throws InterruptedException {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().name("serve-client-" + t).start(() -> {
                    try {
                        go.await();
                        work.run(connections.get(thread), thread);
                    } catch (IOException e) {
                        failures.add(new UncheckedIOException(e));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            long nanos = System.nanoTime() - start;
            if (!failures.isEmpty()) {
                throw failures.getFirst();
            }
            return nanos;
        }
    }
}
