package dev.colony.server;

import dev.colony.Colony;
import dev.colony.state.TaskSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The {@code colony serve} benchmark: start-up to the first 200, a trivial-route floor on the same server,
 * and task claim+complete cycles over HTTP keep-alive with N client threads, with p50/p99 per route.
 * Clients and server share the machine. Run from colony-server (after test-compile):
 * {@code java -cp <test classpath> dev.colony.server.ServeBench [threads] [seconds]}; the lead wires it into
 * {@code colony bench --scenario serve} later.
 */
public final class ServeBench {
    private static final int TASKS = 600_000;

    private ServeBench() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf(
                Locale.ROOT,
                "# colony serve bench: %d client threads, %d s per phase, JDK %s, %d cores%n",
                threads,
                seconds,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        Colony colony = Colony.embedded();
        long built = System.nanoTime();
        try (colony;
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(new BenchGuard(colony.bus()))
                        .build()
                        .start()) {
            long started = System.nanoTime();
            try (RawHttp first = new RawHttp(server.port(), null)) {
                int status = first.send("GET", "/health/live", null).status();
                long answered = System.nanoTime();
                System.out.printf(
                        Locale.ROOT,
                        "start-up to first %d (in-process): %.0f ms = colony %.0f + server %.0f + first request %.0f%n",
                        status,
                        (answered - t0) / 1e6,
                        (built - t0) / 1e6,
                        (started - built) / 1e6,
                        (answered - started) / 1e6);
            }
            phase(server, threads, 3, "warm-up", (c, h) -> floor(c, h));
            phase(server, threads, seconds, "floor GET /health/live", (c, h) -> floor(c, h));
            for (int i = 0; i < TASKS; i++) {
                colony.tasks()
                        .submit(TaskSpec.of("acme_t" + i, "acme_render", "1".getBytes(StandardCharsets.UTF_8))
                                .withRequiredCapabilities(java.util.Set.of("acme__t-render")));
            }
            phase(server, threads, 3, "warm-up", ServeBench::cycle);
            phase(server, threads, seconds, "task claim+complete cycles", ServeBench::cycle);
        }
    }

    /**
     * A guard that admits the token {@code admin} (account acme) to everything and, as the production guard
     * does, publishes every audit record on the bus (nobody subscribes here).
     */
    private record BenchGuard(dev.colony.bus.EventBus bus) implements dev.colony.server.auth.Guard {
        private static final dev.colony.server.auth.Principal ADMIN =
                new dev.colony.server.auth.Principal("acme", "admin", true);

        @Override
        public dev.colony.server.auth.Principal authenticate(String authorization)
                throws dev.colony.server.auth.AccessDenied {
            if (!"Bearer admin".equals(authorization)) {
                throw new dev.colony.server.auth.AccessDenied(
                        401, "UNAUTHORIZED", "unknown token", java.util.Optional.empty());
            }
            return ADMIN;
        }

        @Override
        public void admit(dev.colony.server.auth.Principal principal) {}

        @Override
        public void authorize(
                dev.colony.server.auth.Principal principal, dev.colony.server.auth.Action action, String resource) {}

        @Override
        public void audit(dev.colony.server.auth.Principal principal, String operation, String target) {
            bus.publish("colony.audit.acme.admin", operation + " " + target);
        }
    }

    /** One unit of work of a client thread; records each request's latency under its route. */
    @FunctionalInterface
    interface Work {
        void run(RawHttp connection, Histogram[] latencies) throws IOException;
    }

    private static void floor(RawHttp c, Histogram[] h) throws IOException {
        long start = System.nanoTime();
        check(c.send("GET", "/health/live", null), 200);
        h[0].recordValue(System.nanoTime() - start);
    }

    private static void cycle(RawHttp c, Histogram[] h) throws IOException {
        long start = System.nanoTime();
        RawHttp.Answer claimed = c.send(
                "POST",
                "/v1/tasks/claim",
                "{\"agent\":\"w" + Thread.currentThread().threadId() + "\",\"types\":[\"render\"]}");
        long mid = System.nanoTime();
        check(claimed, 200);
        String body = claimed.body();
        String id = field(body, "\"taskId\":\"", '"');
        String token = field(body, "\"token\":", ',');
        check(c.send("POST", "/v1/tasks/" + id + "/complete", "{\"token\":" + token + ",\"result\":1}"), 200);
        long end = System.nanoTime();
        h[0].recordValue(mid - start);
        h[1].recordValue(end - mid);
    }

    private static void phase(ColonyServer server, int threads, int seconds, String name, Work work) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong units = new AtomicLong();
        List<Histogram[]> all = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Histogram[] h = {new Histogram(3), new Histogram(3)};
            all.add(h);
            clients.add(Thread.ofPlatform().start(() -> {
                try (RawHttp c = new RawHttp(server.port(), "admin")) {
                    long n = 0;
                    while (!stop.get()) {
                        work.run(c, h);
                        n++;
                    }
                    units.addAndGet(n);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(seconds));
        stop.set(true);
        for (Thread c : clients) {
            c.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (name.equals("warm-up")) {
            return;
        }
        Histogram first = new Histogram(3);
        Histogram second = new Histogram(3);
        all.forEach(h -> {
            first.add(h[0]);
            second.add(h[1]);
        });
        System.out.printf(Locale.ROOT, "%s: %.0f/s%n", name, units.get() / elapsed);
        print(name.startsWith("floor") ? "GET /health/live" : "POST /v1/tasks/claim", first);
        if (second.getTotalCount() > 0) {
            print("POST /v1/tasks/{id}/complete", second);
        }
    }

    private static void print(String route, Histogram h) {
        System.out.printf(
                Locale.ROOT,
                "  %-30s n=%d p50=%.0f µs p99=%.0f µs p99.9=%.0f µs%n",
                route,
                h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3);
    }

    private static void check(RawHttp.Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + answer.status() + ": " + answer.body());
        }
    }

    private static String field(String body, String prefix, char end) {
        int from = body.indexOf(prefix) + prefix.length();
        return body.substring(from, body.indexOf(end, from));
    }
}
