package dev.colony.validation.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.redis.RedisServerExtension;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Details;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Redis scenarios with node B in a child JVM (ADR 0058) and, for comparison, in this one, against a real
 * redis-server: every count verified exactly in both modes, a child that dies or cannot start fails the
 * scenario with its exit code and the last lines of its stderr, and no child outlives its fixture.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // JVMs starting on a shared 2-core machine; each wait is bounded
class RedisNodesTest {
    static final int SIZE = 200;
    static final int ITERATIONS = 2;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static RedisBench bench() {
        return RedisBench.parse(redis.server().uri() + "/nodes", SIZE, true);
    }

    @ParameterizedTest
    @EnumSource(RedisNodes.class)
    void everyScenario_atATinySize_countsEveryUnitExactlyOnce(RedisNodes nodes) throws Exception {
        Long child = null;
        try (RedisFixture fixture = RedisFixture.of(bench(), nodes)) {
            for (Scenario scenario : Scenarios.redis(fixture)) {
                ScenarioResult r = scenario.run(new BenchSettings(0, ITERATIONS, null));
                String name = r.name();
                assertThat(r.verified().expected()).as(name).isEqualTo((long) ITERATIONS * SIZE);
                assertThat(r.verified().observed()).as(name).isEqualTo((long) ITERATIONS * SIZE);
                assertThat(Details.text(r.details(), "nodes")).as(name).contains(nodes.flag());
                assertThat(Details.text(r.details(), "mode").orElseThrow())
                        .as(name)
                        .contains(nodes == RedisNodes.TWO_JVMS ? "two JVMs" : "one JVM");
                assertThat(Details.number(r.details(), "iterations_timed_out"))
                        .as(name)
                        .contains(0.0);
                String twice = name.startsWith("redis-tasks") ? "completed_twice" : "duplicates";
                assertThat(Details.number(r.details(), twice)).as(name).contains(0.0);
                if (name.equals("redis-messenger")) {
                    assertThat(Details.number(r.details(), "wrong_ids")).contains(0.0);
                }
                if (name.startsWith("redis-tasks")) {
                    assertThat(Details.number(r.details(), "complete_not_ok")).contains(0.0);
                    assertThat(Details.number(r.details(), "leader_failover", "failed_failovers"))
                            .contains(0.0);
                    // B cannot win before the lease of A's last renewal ended: the two clocks agree
                    assertThat(Details.number(r.details(), "leader_failover", "failover_ms_median")
                                    .orElseThrow())
                            .isGreaterThanOrEqualTo(1000);
                }
                assertThat(r.latencyUs().p50()).as(name).isPositive();
            }
            if (fixture.b() instanceof ChildJvmNodeB b) {
                child = b.pid();
                assertThat(ProcessHandle.current().children().map(ProcessHandle::pid))
                        .contains(child);
            }
        }
        assertThat(child == null).isEqualTo(nodes == RedisNodes.ONE_JVM);
        if (child != null) {
            assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive))
                    .as("node B's JVM after the fixture closed")
                    .isEmpty();
        }
    }

    @Test
    void childThatExitsEarly_failsTheScenarioWithItsExitCode() throws Exception {
        try (RedisFixture fixture = RedisFixture.of(bench(), RedisNodes.TWO_JVMS)) {
            ChildJvmNodeB b = (ChildJvmNodeB) fixture.b();
            b.process().destroyForcibly().waitFor();
            Scenario bus = new RedisBusScenario(fixture);

            assertThatThrownBy(() -> bus.run(new BenchSettings(0, 1, null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("node B's JVM (pid " + b.pid() + ") exited with code 137")
                    .hasMessageContaining("during 'bus.subscribe'")
                    .hasMessageContaining("the last lines of its stderr");
        }
    }

    @Test
    void childThatCannotStart_failsWithItsExitCodeAndTheLastLinesOfItsStderr() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        RedisBench nowhere = RedisBench.parse("redis://127.0.0.1:" + closed + "/nodes", SIZE, true);
        try (RedisFixture fixture = RedisFixture.of(nowhere, RedisNodes.TWO_JVMS)) {
            assertThatThrownBy(fixture::b)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 1 during 'start'")
                    .hasMessageContaining("node B could not open swarm 'nodes-bench-");
        }
        assertThat(ProcessHandle.current()
                        .children()
                        .filter(p -> p.info()
                                .arguments()
                                .map(args -> String.join(" ", args).contains(NodeBMain.class.getName()))
                                .orElse(false)))
                .as("no node B left behind")
                .isEmpty();
    }

    @Test
    void childWhoseStandardInputCloses_exitsByItself() throws Exception {
        try (RedisFixture fixture = RedisFixture.of(bench(), RedisNodes.TWO_JVMS)) {
            ChildJvmNodeB b = (ChildJvmNodeB) fixture.b();
            b.process().getOutputStream().close(); // as when this JVM dies without closing the fixture

            // generous: an idle child exits at once, a busy one within NodeBMain.HALT_SECONDS
            Process exited = b.process().onExit().get(120, TimeUnit.SECONDS);
            assertThat(exited.isAlive()).isFalse();
            assertThat(exited.exitValue()).isZero();
        }
    }

    @Test
    void nodesFlag_unknownValue_isAClearError() {
        assertThatThrownBy(() -> RedisNodes.parse("three-jvms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--redis-nodes must be one-jvm or two-jvms, got 'three-jvms'");
        assertThat(RedisNodes.parse("one-jvm")).isEqualTo(RedisNodes.ONE_JVM);
    }

    @Test
    void childCommand_isThisJavaAndClassPath() {
        var command = ChildJvmNodeB.command("s");
        assertThat(command.getFirst())
                .isEqualTo(ProcessHandle.current().info().command().orElseThrow());
        assertThat(command).containsSubsequence("-cp", System.getProperty("java.class.path"));
        assertThat(command).endsWith(NodeBMain.class.getName(), "s");
    }
}
