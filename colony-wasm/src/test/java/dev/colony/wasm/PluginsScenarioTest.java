package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.wasm.bench.PluginsScenario;
import dev.colony.wasm.bench.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginsScenarioTest {
    @Test
    void run_smallSettings_everyVariantDecidesLikeTheJavaPredicate() {
        long seed = 20261207L;
        System.out.println("[seed] " + seed);
        var settings = new PluginsScenario.Settings(300, 2, 64, 0, 1, seed);
        int accepted = Workload.generate(300, 64, 100, 0.3, seed).accepted();

        List<PluginsScenario.Variant> variants = PluginsScenario.run(settings);

        assertThat(variants)
                .extracting(PluginsScenario.Variant::name)
                .containsExactly("none", "java", "wasm-compiled", "wasm-interpreted");
        assertThat(variants.getFirst().handled()).isEqualTo(600);
        assertThat(variants.subList(1, 4))
                .allSatisfy(v -> assertThat(v.handled()).isEqualTo(2L * accepted));
        assertThat(accepted).isBetween(1, 299);
    }
}
