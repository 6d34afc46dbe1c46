package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeployTest {
    private final EventBus bus = EventBus.create();
    private final List<Event> announced = new CopyOnWriteArrayList<>();
    private PluginHost host;

    DeployTest() {
        bus.subscribe("colony.plugin.>", announced::add);
        host = PluginHost.builder().bus(bus).build();
    }

    @AfterEach
    void close() {
        host.close();
        bus.close();
    }

    @Test
    void deploy_validModule_announcedAndInspectable() {
        byte[] wasm = Wat.wasm("prefix");
        Deployment deployment = host.deploy("orders", wasm, ModuleCheck.sha256(wasm));

        assertThat(deployment.info().kinds()).containsExactly(PluginKind.FILTER);
        assertThat(deployment.info().imports()).containsExactly("colony.log (function)", "colony.now_ms (function)");
        assertThat(deployment.subjectOnly()).isTrue();
        assertThat(deployment.deterministic()).isTrue();
        assertThat(deployment.info().initialPages()).isEqualTo(1);
        assertThat(deployment.info().declaredMaxPages()).isEqualTo(16);
        assertThat(host.logLines()).isEqualTo(4); // one line per instance configured, pool of 4
        assertThat(announced).singleElement().satisfies(e -> {
            assertThat(e.subject().value()).isEqualTo("colony.plugin.orders.deployed");
            assertThat(e.payload()).isEqualTo(deployment);
        });
    }

    @Test
    void deploy_unknownImport_refusedNamingTheImport() {
        assertThatThrownBy(() -> host.deploy("bad", Wat.wasm("bad_import"), null))
                .isInstanceOfSatisfying(
                        DeployException.class, e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.IMPORT))
                .hasMessageContaining("env.abort (function)")
                .hasMessageContaining("colony.log");
        assertThat(announced).singleElement().satisfies(e -> {
            assertThat(e.subject().value()).isEqualTo("colony.plugin.bad.failed");
            assertThat(((DeployFailure) e.payload()).reason()).isEqualTo(DeployException.Reason.IMPORT);
        });
        assertThat(host.deployment("bad")).isEmpty();
    }

    @Test
    void deploy_malformedBytes_clearError() {
        byte[] garbage = "this is not wasm at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] valid = Wat.wasm("needle");
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);

        for (byte[] bytes : List.of(garbage, truncated, new byte[3])) {
            assertThatThrownBy(() -> host.deploy("broken", bytes, null))
                    .isInstanceOfSatisfying(
                            DeployException.class,
                            e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.MALFORMED))
                    .hasMessageContaining("WebAssembly module");
        }
        assertThatThrownBy(() -> PluginHost.inspect(garbage)).isInstanceOf(DeployException.class);
    }

    @Test
    void deploy_wrongChecksum_refusedQuotingBoth() {
        byte[] wasm = Wat.wasm("needle");
        String wrong = "0".repeat(64);

        assertThatThrownBy(() -> host.deploy("needle", wasm, wrong))
                .isInstanceOfSatisfying(
                        DeployException.class, e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.CHECKSUM))
                .hasMessageContaining(ModuleCheck.sha256(wasm))
                .hasMessageContaining(wrong);
    }

    @Test
    void deploy_overBudget_refusedAndThePreviousVersionKeepsRunning() {
        try (PluginHost small = PluginHost.builder().memoryBudgetBytes(8L << 20).build()) {
            small.deploy("a", Wat.wasm("needle"), null); // 4 x 16 pages = 4 MiB
            var big = DeployOptions.defaults().withLimits(PluginLimits.filter().withPoolSize(8));

            assertThatThrownBy(() -> small.deploy("b", Wat.wasm("needle"), null, big))
                    .isInstanceOfSatisfying(
                            DeployException.class, e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.BUDGET))
                    .hasMessageContaining("8388608");
            assertThat(small.deployment("b")).isEmpty();
            assertThat(small.reservedBytes()).isEqualTo(4L << 20);
            // a redeploy of "a" replaces its own reservation, so it fits
            assertThat(small.deploy("a", Wat.wasm("needle"), null, DeployOptions.defaults()))
                    .isNotNull();
        }
    }

    @Test
    void deploy_initialMemoryOverTheLimit_refused() {
        assertThatThrownBy(() -> host.deploy("big", Wat.wasm("big_memory"), null))
                .isInstanceOfSatisfying(
                        DeployException.class, e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.MEMORY))
                .hasMessageContaining("64 pages");
    }

    @Test
    void deploy_sameBytesAgain_compiledOnce() {
        host.deploy("one", Wat.wasm("needle"), null);
        host.deploy("two", Wat.wasm("needle"), null, DeployOptions.defaults().withConfig("x"));
        host.deploy("one", Wat.wasm("needle"), null);

        assertThat(host.compiles()).isEqualTo(1);
        host.deploy("one", Wat.wasm("prefix"), null);
        assertThat(host.compiles()).isEqualTo(2);
    }

    @Test
    void validate_badName_refusedQuotingIt() {
        assertThatThrownBy(() -> host.deploy("Bad.Name", Wat.wasm("needle"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Bad.Name'");
    }
}
