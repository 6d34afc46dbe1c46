package dev.colony.validation.scenarios;

import dev.colony.Colony;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.RateLimit;
import dev.colony.server.auth.TokenSpec;
import dev.colony.server.auth.TokenStore;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code serve-fanout}: publish → SSE fan-out through {@code colony serve}'s server (issue 17, ADR 0079). An
 * embedded colony behind the server on a free loopback port, with the production guard (a fresh token file, no
 * rate limit), in this JVM; the subscribers ({@code /v1/events?pattern=fan.>}) and the publisher in a child JVM
 * ({@link FanOutChild}, {@link FanOutClients}), so that this JVM's process CPU is the server's alone. Each
 * iteration the publisher offers {@link Size#events} events at {@link Size#rate} a second over one keep-alive
 * connection ({@code POST /v1/events/fan.x}), each numbered; the iteration ends when every subscriber has the
 * last one.
 *
 * <p>A delivery counts when a subscriber received exactly the event it expected next (every event, in order,
 * no repeat; a {@code gap} or {@code reset} frame or an ended stream leaves its events uncounted), so the
 * verified count is events x subscribers or the run fails. The headline is the events per second the publisher
 * reached (events over the time it took to have them all answered, never less than the offered pace allows);
 * latency is publish → received at the subscriber (one clock: both in the child JVM). The same-run floor: the
 * same publisher, pace and count on {@code floor.x}, which no subscriber matches, so the ratio says how much the
 * fan-out slowed the publisher (1 = not at all).
 */
final class FanOutScenario implements Scenario {
    static final String NAME = "serve-fanout";
    private static final String ACCOUNT = "bench";
    private static final int ROUND_TIMEOUT_SECONDS = 120;

    /**
     * How big: {@code subscribers} SSE streams, {@code events} per iteration offered at {@code rate} a second;
     * {@code ignore} ({@code <subscriber> <n>}) makes one subscriber ignore one event, for a test of the check.
     */
    record Size(int subscribers, int rate, int events, long[] ignore) {
        /** The full run: issue 17's 1,000 subscribers at 1,000 events/s, 5 s an iteration. */
        static final Size FULL = new Size(1_000, 1_000, 5_000, null);
        /** {@code --quick}: 100 subscribers, 1 s an iteration. */
        static final Size QUICK = new Size(100, 1_000, 1_000, null);

        Size {
            if (subscribers < 1 || rate < 1 || events < 1) {
                throw new IllegalArgumentException("subscribers, rate and events must be at least 1, got " + subscribers
                        + ", " + rate + ", " + events);
            }
        }

        long deliveries() {
            return (long) subscribers * events;
        }
    }

    private final Size size;

    FanOutScenario(Size size) {
        this.size = size;
    }

    /** The full size, or the quick one for {@code --quick}. */
    static FanOutScenario of(boolean quick) {
        return new FanOutScenario(quick ? Size.QUICK : Size.FULL);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "publish -> SSE fan-out over colony serve: " + size.subscribers() + " subscribers in a child JVM, "
                + size.rate() + " events/s offered, every event checked at every subscriber; vs the same publishes"
                + " with no subscriber";
    }

    /** Two: with one, the first measured iteration fell behind in two of three runs at 1,000 subscribers (ADR 0079). */
    @Override
    public int defaultWarmup() {
        return 2;
    }

    @Override
    public int defaultIterations() {
        return 3;
    }

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        Path data = Files.createTempDirectory("colony-bench-fanout");
        String token =
                TokenStore.of(data).create(TokenSpec.admin("bench", ACCOUNT)).secret();
        try (Colony colony = Colony.embedded();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(Guard.builder(data, colony.bus())
                                .rateLimit(RateLimit.UNLIMITED)
                                .build())
                        .build()
                        .start();
                FanOutChild clients = FanOutChild.start(
                        server.port(), token, size.subscribers(), size.ignore(), ROUND_TIMEOUT_SECONDS)) {
            return measure(settings, clients);
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private ScenarioResult measure(BenchSettings settings, FanOutChild clients) throws Exception {
        FanOutRounds rounds = new FanOutRounds(clients, size, ROUND_TIMEOUT_SECONDS);
        Measurement fanOut = Loop.measure(
                settings,
                NAME + ": " + size.subscribers() + " subscribers",
                size.events(),
                it -> rounds.fanOut(it >= settings.warmup()));
        Measurement floor =
                Loop.measure(settings, NAME + ": floor, no subscriber", size.events(), it -> rounds.floor());
        return ScenarioResult.of(
                        NAME,
                        fanOut,
                        ScenarioResult.verified(fanOut),
                        new ScenarioResult.Target("throughput_per_sec", 0),
                        true,
                        rounds.details())
                .with(ScenarioResult.Baseline.of(
                        "publishes with no subscriber, same server",
                        "the same publisher, pace and count on floor.x, which no subscriber matches: what the"
                                + " publishing requests cost without a fan-out; every answer checked for 2xx",
                        floor,
                        fanOut,
                        false));
    }
}
