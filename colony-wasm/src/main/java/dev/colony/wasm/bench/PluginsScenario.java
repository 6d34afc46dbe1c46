package dev.colony.wasm.bench;

import dev.colony.wasm.DeployOptions;
import dev.colony.wasm.ExecutionMode;
import dev.colony.wasm.PluginLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bus half of the plugins benchmark: {@code events} events published to {@code subscribers} ASYNC
 * subscriptions, with no filter, a Java predicate, the compiled example needle filter and the interpreted
 * one, all in one run. Every variant must deliver exactly what the Java predicate accepts (the no-filter
 * variant everything), or the run fails: a figure is only reported for equal decisions.
 *
 * <p>A round publishes every event once from one thread and ends when every subscription has processed
 * every event; its time is the publish-to-last-delivery wall time. The reported figure is the median
 * round.
 */
public final class PluginsScenario {
    /**
     * Settings of a run.
     *
     * @param events events per round (10,000 in the issue)
     * @param subscribers ASYNC subscriptions (5 in the issue)
     * @param payloadBytes bytes per payload
     * @param warmup unmeasured rounds per variant
     * @param rounds measured rounds per variant
     * @param seed the seed of the payloads
     */
    public record Settings(int events, int subscribers, int payloadBytes, int warmup, int rounds, long seed) {
        public Settings {
            if (events < 1 || subscribers < 1 || payloadBytes < 8 || warmup < 0 || rounds < 1) {
                throw new IllegalArgumentException("events, subscribers and rounds must be at least 1, payloadBytes"
                        + " at least 8, warmup at least 0, got " + events + ", " + subscribers + ", " + rounds
                        + ", " + payloadBytes + ", " + warmup);
            }
        }

        /** The run: 10,000 events × 5 subscribers, 256-byte payloads, 3 warm-up and 5 measured rounds. */
        public static Settings defaults() {
            return new Settings(10_000, 5, 256, 3, 5, 20261207L);
        }
    }

    /**
     * One variant's figures.
     *
     * @param name the variant
     * @param handled handler calls in the last round, all subscribers together
     * @param nanosPerEventPerSubscriber the median round's time over events × subscribers
     */
    public record Variant(String name, long handled, double nanosPerEventPerSubscriber) {}

    private PluginsScenario() {}

    /** The variants in order: none, java, wasm-compiled, wasm-interpreted. */
    public static List<Variant> run(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        Workload workload = Workload.generate(settings.events(), settings.payloadBytes(), 100, 0.3, settings.seed());
        List<Variant> variants = new ArrayList<>();
        for (String name : BusRound.VARIANTS) {
            try (BusRound round = new BusRound(settings, workload, name)) {
                long nanos = Timing.median(settings.warmup(), settings.rounds(), round::run);
                variants.add(new Variant(
                        name, round.handled(), (double) nanos / ((long) settings.events() * settings.subscribers())));
            }
        }
        return variants;
    }

    /** Options for the benchmark's filter: one instance per subscriber, and a deadline no machine hits. */
    static DeployOptions options(Settings settings, ExecutionMode mode) {
        return DeployOptions.defaults()
                .withMode(mode)
                .withConfig(Workload.NEEDLE)
                .withLimits(PluginLimits.filter()
                        .withPoolSize(settings.subscribers())
                        .withDeadline(Duration.ofSeconds(10))
                        .withRecycleAfterCalls(Long.MAX_VALUE));
    }
}
