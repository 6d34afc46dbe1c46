package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.messaging.AgentId;
import dev.colony.metrics.MetricsRegistry;
import dev.colony.metrics.Reading;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import dev.colony.state.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScorerAndCacheTest {
    private final EventBus bus = EventBus.create();
    private final MetricsRegistry registry = MetricsRegistry.create();
    private final List<Event> alerts = new CopyOnWriteArrayList<>();
    private final PluginHost host =
            PluginHost.builder().bus(bus).metrics(registry).cacheWarmup(0).build();
    private final DeployOptions slow =
            DeployOptions.defaults().withLimits(PluginLimits.scorer().withDeadline(Duration.ofSeconds(5)));

    ScorerAndCacheTest() {
        bus.subscribe("colony.alert.plugin.>", alerts::add);
    }

    @AfterEach
    void close() {
        host.close();
        bus.close();
    }

    private static AgentRecord agent(String id, AgentStatus status, String... capabilities) {
        return new AgentRecord(
                AgentId.of(id), "worker", Set.of(capabilities), Map.of(), status, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void choose_highestScoreAmongEligibleAgents() {
        host.deploy("scorer", Wat.wasm("length_scorer"), null, slow);
        PluginScorer scorer = host.scorer("scorer", FailurePolicy.FAIL_CLOSED);
        TaskSpec task = TaskSpec.of("t1", "render", new byte[0]).withRequiredCapabilities(Set.of("gpu"));
        List<AgentRecord> agents = List.of(
                agent("a", AgentStatus.IDLE, "gpu"),
                agent("b", AgentStatus.BUSY, "gpu", "cuda", "fp16"),
                agent("c", AgentStatus.IDLE, "cpu", "avx", "avx2", "avx512", "sse"), // lacks gpu
                agent("d", AgentStatus.FAILED, "gpu", "cuda", "fp16", "tensor", "nvlink")); // not live

        assertThat(scorer.choose(task, agents)).contains(AgentId.of("b"));
        assertThat(host.stats("scorer").orElseThrow().calls()).isEqualTo(1);
    }

    @Test
    void score_rawCandidates_oneScoreEach() {
        host.deploy("scorer", Wat.wasm("length_scorer"), null, slow);

        double[] scores = host.scorer("scorer", FailurePolicy.FAIL_CLOSED)
                .score(new byte[] {1, 2}, List.of(new byte[3], new byte[0], new byte[10]));

        assertThat(scores).containsExactly(3.0, 0.0, 10.0);
    }

    @Test
    void choose_pluginFails_failOpenFallsBackToTheFirstEligible() {
        host.deploy("scorer", Wat.wasm("needle"), null, slow); // exports no colony_score
        TaskSpec task = TaskSpec.of("t1", "render", new byte[0]);
        List<AgentRecord> agents = List.of(agent("a", AgentStatus.IDLE), agent("b", AgentStatus.IDLE));

        assertThat(host.scorer("scorer", FailurePolicy.FAIL_OPEN).choose(task, agents))
                .contains(AgentId.of("a"));
        assertThat(host.scorer("scorer", FailurePolicy.FAIL_CLOSED).choose(task, agents))
                .isEmpty();
    }

    @Test
    void decisionCache_subjectDeterministicFilter_oneCallPerSubject() {
        host.deploy("orders", Wat.wasm("prefix"), null, slow);
        SubscriptionFilter cached = host.filter("orders", FailurePolicy.FAIL_CLOSED, true);
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            String subject = (i % 2 == 0 ? "orders.eu." : "billing.eu.") + (i % 10);
            if (cached.test(new Event(Subject.of(subject), "payload " + i))) {
                accepted++;
            }
        }

        assertThat(accepted).isEqualTo(500);
        PluginStats stats = host.stats("orders").orElseThrow();
        assertThat(stats.calls()).isEqualTo(10);
        assertThat(stats.cache()).isEqualTo(new CacheStats(990, 10, 10, 0));
        assertThat(stats.cache().hitRate()).isEqualTo(0.99);
        assertThat(alerts).isEmpty();
        assertThat(registry.read("colony.plugin.orders." + stats.version() + ".cache.hits"))
                .get()
                .isEqualTo(new Reading.Count(
                        "colony.plugin.orders." + stats.version() + ".cache.hits", "decision cache hits", 990));
    }

    @Test
    void decisionCache_uniqueSubjects_evictsAndAlertsOnceOnLowHitRate() {
        host.deploy("orders", Wat.wasm("prefix"), null, slow.withDecisionCacheCapacity(100));
        SubscriptionFilter cached = host.filter("orders", FailurePolicy.FAIL_CLOSED, true);

        for (int i = 0; i < 3000; i++) {
            cached.test(new Event(Subject.of("orders.id" + i), "x"));
        }

        CacheStats cache = host.stats("orders").orElseThrow().cache();
        assertThat(cache.hits()).isZero();
        assertThat(cache.keys()).isEqualTo(100);
        assertThat(cache.evictions()).isEqualTo(2900);
        assertThat(alerts)
                .singleElement()
                .satisfies(e ->
                        assertThat(((PluginAlert) e.payload()).kind()).isEqualTo(PluginAlert.Kind.CACHE_HIT_RATE_LOW));
    }

    @Test
    void decisionCache_notOptedIn_everyEventCallsThePlugin() {
        host.deploy("orders", Wat.wasm("prefix"), null, slow);
        SubscriptionFilter uncached = host.filter("orders", FailurePolicy.FAIL_CLOSED);

        for (int i = 0; i < 50; i++) {
            uncached.test(new Event(Subject.of("orders.same"), "x"));
        }

        assertThat(host.stats("orders").orElseThrow().calls()).isEqualTo(50);
    }

    @Test
    void metrics_perPluginAndVersion_inTheRegistry() {
        host.deploy("needle", Wat.wasm("needle"), null, slow.withConfig("abc"));
        SubscriptionFilter filter = host.filter("needle", FailurePolicy.FAIL_CLOSED);
        filter.test(new Event(Subject.of("a.b"), "xxabcxx"));
        filter.test(new Event(Subject.of("a.b"), "nothing"));
        String prefix =
                "colony.plugin.needle." + host.stats("needle").orElseThrow().version() + ".";

        assertThat(registry.names())
                .contains(
                        prefix + "calls",
                        prefix + "accepted",
                        prefix + "rejected",
                        prefix + "errors.trap",
                        prefix + "errors.timeout",
                        prefix + "latency",
                        prefix + "bytes_in",
                        prefix + "instances.live",
                        prefix + "pool_waits",
                        prefix + "memory_pages",
                        "colony.plugin.compiles");
        assertThat(registry.read(prefix + "accepted").orElseThrow())
                .isEqualTo(new Reading.Count(prefix + "accepted", "calls that accepted (or passed the bytes on)", 1));
        assertThat(registry.read(prefix + "bytes_in").orElseThrow())
                .isEqualTo(new Reading.Count(prefix + "bytes_in", "bytes written into instances", 20));
    }

    @Test
    void close_removesTheHostsMetrics_soANewHostMayRegisterThem() {
        host.deploy("needle", Wat.wasm("needle"), null, slow.withConfig("abc"));
        String version = host.stats("needle").orElseThrow().version();
        assertThatThrownBy(() -> PluginHost.builder().metrics(registry).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("colony.plugin.compiles");

        host.close();

        assertThat(registry.names()).noneMatch(name -> name.startsWith("colony.plugin."));
        try (PluginHost next = PluginHost.builder().metrics(registry).build()) {
            next.deploy("needle", Wat.wasm("needle"), null, slow.withConfig("abc"));
            assertThat(registry.names())
                    .contains("colony.plugin.compiles", "colony.plugin.needle." + version + ".calls");
        }
    }
}
