package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.Event;
import dev.colony.bus.Subject;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentChooser;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import dev.colony.state.TaskSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checked-in example plugins under examples/plugins (built by scripts/wasm-examples.sh). */
class ExamplePluginsTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "plugins");
    private static final DeployOptions OPTIONS =
            DeployOptions.defaults().withLimits(PluginLimits.filter().withDeadline(Duration.ofSeconds(5)));

    private final PluginHost host = PluginHost.create();

    @AfterEach
    void close() {
        host.close();
    }

    private static byte[] read(String file) throws IOException {
        return Files.readAllBytes(EXAMPLES.resolve(file));
    }

    private static String sha(String file) throws IOException {
        return Files.readString(EXAMPLES.resolve(file + ".sha256")).strip();
    }

    @Test
    void cNeedleFilter_decidesLikeTheWatFixture() throws IOException {
        host.deploy("c_needle", read("c/needle_filter.wasm"), sha("c/needle_filter.wasm"), OPTIONS.withConfig("vip"));
        host.deploy("wat_needle", Wat.wasm("needle"), null, OPTIONS.withConfig("vip"));
        SubscriptionFilter c = host.filter("c_needle", FailurePolicy.FAIL_CLOSED);
        SubscriptionFilter wat = host.filter("wat_needle", FailurePolicy.FAIL_CLOSED);

        for (String payload : List.of("a vip order", "plain", "", "vi", "vipvip", "xxxxvip")) {
            Event event = new Event(Subject.of("orders.new"), payload.getBytes(StandardCharsets.UTF_8));
            assertThat(c.test(event)).as(payload).isEqualTo(wat.test(event)).isEqualTo(payload.contains("vip"));
        }
        assertThat(host.stats("c_needle").orElseThrow().failed()).isZero();
        assertThat(host.deployment("c_needle").orElseThrow().info().imports()).containsExactly("colony.log (function)");
    }

    @Test
    void cFewestLeasesScorer_choosesLikeTheWatFixture() throws IOException {
        DeployOptions scorer =
                DeployOptions.defaults().withLimits(PluginLimits.scorer().withDeadline(Duration.ofSeconds(5)));
        host.deploy("c_load", read("c/fewest_leases.wasm"), sha("c/fewest_leases.wasm"), scorer);
        host.deploy("wat_load", Wat.wasm("fewest_leases_scorer"), null, scorer);
        PluginScorer c = host.scorer("c_load", FailurePolicy.FAIL_CLOSED);
        PluginScorer wat = host.scorer("wat_load", FailurePolicy.FAIL_CLOSED);
        TaskSpec task = TaskSpec.of("t1", "render", new byte[3]);

        for (List<Integer> loads : List.of(List.of(3, 1, 2), List.of(0, 0), List.of(12, 7, 7, 100), List.of(5))) {
            List<AgentChooser.Candidate> candidates = new ArrayList<>();
            for (int i = 0; i < loads.size(); i++) {
                AgentRecord agent = new AgentRecord(
                        AgentId.of("a" + i),
                        "worker",
                        Set.of("gpu"),
                        Map.of("zone", "eu"),
                        AgentStatus.IDLE,
                        Instant.EPOCH,
                        Instant.EPOCH);
                candidates.add(new AgentChooser.Candidate(agent, loads.get(i)));
            }
            AgentId least = AgentId.of(
                    "a" + loads.indexOf(loads.stream().min(Integer::compare).orElseThrow()));
            assertThat(c.choose(task, candidates))
                    .as("%s", loads)
                    .contains(least)
                    .isEqualTo(wat.choose(task, candidates));
        }
        assertThat(host.stats("c_load").orElseThrow().failed()).isZero();
        assertThat(host.deployment("c_load").orElseThrow().info().imports()).isEmpty();
    }

    @Test
    void watSubjectPrefix_subjectOnlyAndDeterministic() throws IOException {
        Deployment deployment =
                host.deploy("prefix", read("wat/subject_prefix.wasm"), sha("wat/subject_prefix.wasm"), OPTIONS);
        SubscriptionFilter filter = host.filter("prefix", FailurePolicy.FAIL_CLOSED, true);

        assertThat(deployment.cacheable()).isTrue();
        assertThat(filter.test(new Event(Subject.of("orders.eu"), "x"))).isTrue();
        assertThat(filter.test(new Event(Subject.of("billing.eu"), "x"))).isFalse();
    }

    @Test
    void cNeedleFilter_configurationTooLong_deployRefused() throws IOException {
        byte[] wasm = read("c/needle_filter.wasm");

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> host.deploy("c_needle", wasm, null, OPTIONS.withConfig("n".repeat(2000))))
                .isInstanceOfSatisfying(
                        DeployException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.INSTANTIATE))
                .hasMessageContaining("colony_configure returned -1");
        assertThat(host.logLines()).isEqualTo(1); // the plugin said why through colony.log
    }

    @Test
    void cCloudEventsCheck_validMessagePasses_brokenOnesRejectedWithTheReason() throws IOException {
        host.deploy("ce_check", read("c/cloudevents_check.wasm"), sha("c/cloudevents_check.wasm"), OPTIONS);
        PluginCodec codec = host.codec(
                dev.colony.messaging.JsonMessageCodec.create(),
                "ce_check",
                FailurePolicy.FAIL_CLOSED,
                PluginCodec.Side.RECEIVE);
        byte[] valid = dev.colony.messaging.JsonMessageCodec.create()
                .encode(dev.colony.messaging.Envelope.of(
                        dev.colony.messaging.AgentId.of("a"),
                        dev.colony.messaging.AgentId.of("b"),
                        "note",
                        java.util.Map.of("text", "he said \"{\" and left", "n", List.of(1, 2))));

        assertThat(codec.apply(valid)).isSameAs(valid);
        assertThat(codec.decode(valid).type()).isEqualTo("note");
        for (var broken : java.util.Map.of(
                        "[1]", "not a JSON object",
                        "{\"id\":\"x\"", "truncated",
                        "{\"id\":\"x\",\"type\":\"t\",\"source\":\"s\"}", "missing a required",
                        "{\"a\":]}", "unbalanced")
                .entrySet()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> codec.apply(broken.getKey().getBytes(StandardCharsets.UTF_8)))
                    .as(broken.getKey())
                    .hasMessageContaining(broken.getValue());
        }
    }
}
