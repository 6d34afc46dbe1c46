package dev.colony.validation.scenarios;

import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Variant;
import dev.colony.wasm.bench.BusRound;
import dev.colony.wasm.bench.PluginsScenario;
import dev.colony.wasm.bench.Workload;

/**
 * {@code plugins}: the honest answer to the original report's "WASM integration" speedups. 10,000 events of
 * 256 bytes published to 5 ASYNC subscriptions whose handlers run behind a filter that accepts the events
 * containing a needle: the compiled example filter in C (WebAssembly, pooled instances, ADR 0032) is the
 * headline, a Java predicate reading the same bytes the same-run baseline, no filter and the interpreted
 * filter the details. Every variant must deliver exactly what the Java predicate accepts (everything for no
 * filter): a round that decides otherwise verifies nothing.
 */
final class PluginFilterScenario implements Scenario {
    /** The interpreter is about 100x slower: two rounds (one in a quick run) say what it costs. */
    private static final int INTERPRETED_ROUNDS = 2;

    @Override
    public String name() {
        return "plugins";
    }

    @Override
    public String description() {
        return "10,000 events x 5 ASYNC subscribers behind a WASM filter (compiled, interpreted) vs a Java predicate";
    }

    @Override
    public int defaultWarmup() {
        return 5;
    }

    @Override
    public int defaultIterations() {
        return 15;
    }

    /**
     * The figures under {@code details}.
     *
     * @param wasmCostOverJava the compiled filter's time per event and subscriber over the Java predicate's (the
     *     goal: at most 3)
     * @param interpretedCostOverJava the same for the interpreter (a debugging aid, never the default)
     */
    private record Details(
            int events,
            int subscribers,
            int payloadBytes,
            int acceptedPerSubscriber,
            double wasmCostOverJava,
            double interpretedCostOverJava,
            Variant noFilter,
            Variant interpreted) {}

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        PluginsScenario.Settings plugins = PluginsScenario.Settings.defaults();
        Workload workload = Workload.generate(plugins.events(), plugins.payloadBytes(), 100, 0.3, plugins.seed());
        Measurement compiled = measure(settings, plugins, workload, "wasm-compiled");
        Measurement java = measure(settings, plugins, workload, "java");
        Measurement none = measure(settings, plugins, workload, "none");
        Measurement interpreted = measure(
                new BenchSettings(0, settings.iterations() <= 3 ? 1 : INTERPRETED_ROUNDS, settings.progress()),
                plugins,
                workload,
                "wasm-interpreted");
        String basis = "none: rounds are timed whole, from the first publish to the last delivery";
        Details details = new Details(
                plugins.events(),
                plugins.subscribers(),
                plugins.payloadBytes(),
                workload.accepted(),
                Measurement.round(compiled.medianSeconds() / java.medianSeconds()),
                Measurement.round(interpreted.medianSeconds() / java.medianSeconds()),
                Variant.of(none, false, basis),
                Variant.of(interpreted, false, basis));
        return ScenarioResult.of(
                        name(),
                        compiled,
                        ScenarioResult.verified(compiled, java, none, interpreted),
                        new ScenarioResult.Target("throughput_per_sec", 0),
                        true,
                        details)
                .with(ScenarioResult.Baseline.of(
                        "Java predicate",
                        "the same needle search over the same payload bytes in a Java handler wrapper, on the same"
                                + " ASYNC subscriptions, with the same checked delivery count",
                        java,
                        compiled,
                        false));
    }

    /**
     * One variant's rounds; a round's units are its filter decisions (events × subscribers), verified when the
     * handlers saw exactly what the variant must let through.
     */
    private static Measurement measure(
            BenchSettings settings, PluginsScenario.Settings plugins, Workload workload, String variant)
            throws Exception {
        long decisions = (long) plugins.events() * plugins.subscribers();
        try (BusRound round = new BusRound(plugins, workload, variant)) {
            return Loop.measure(settings, "plugins: " + variant, decisions, it -> {
                try {
                    return Loop.Tally.of(round.run(), decisions);
                } catch (IllegalStateException decidedOtherwise) {
                    settings.progress("plugins: %s: %s", variant, decidedOtherwise.getMessage());
                    return Loop.Tally.of(0, 0);
                }
            });
        }
    }
}
