package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentChooser;
import dev.colony.state.AgentStatus;
import dev.colony.state.AssignmentStrategy;
import dev.colony.state.CoordinationState;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What assignment by a chooser costs over Redis beside the built-in strategy (ADR 0052): one thread, 8 working
 * agents holding 0 to 7 leases, each operation submits a task, assigns it and completes its lease (so the state
 * stays the same). {@code LEAST_LOADED} is one script ({@code task_assign}); a Java chooser doing the same
 * scoring is two ({@code task_offer}, {@code task_give}) with the choice between them. Both must choose the same
 * agent every time. Runs only with {@code -Dcolony.bench=true} (a measurement, not a test of behaviour):
 *
 * <pre>./mvnw -B -q -o -pl colony-redis -am -Dcolony.bench=true -Dtest=RedisAssignBenchmarkTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false test</pre>
 */
@EnabledIfSystemProperty(named = "colony.bench", matches = "true")
class RedisAssignBenchmarkTest {
    private static final int AGENTS = 8;
    private static final int OPS = Integer.getInteger("colony.bench.ops", 2_000);
    private static final int ROUNDS = Integer.getInteger("colony.bench.rounds", 9);
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final AgentChooser FEWEST_LEASES = (task, candidates) -> Optional.of(candidates.stream()
            .min(Comparator.comparingInt(AgentChooser.Candidate::leases))
            .orElseThrow()
            .id());

    private long next;

    @Test
    @org.junit.jupiter.api.Timeout(value = 15, unit = TimeUnit.MINUTES)
    void assign_chooserVersusStrategy() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisLink link = RedisLink.open(server.target("bench-assign"));
                EventBus bus = EventBus.create();
                CoordinationState state =
                        RedisState.open(link, bus, StateOptions.defaults().withSweepInterval(Duration.ZERO))) {
            for (int i = 0; i < AGENTS; i++) {
                AgentId id = AgentId.of("agent-" + i);
                state.registry().register(id, "worker", Set.of("gpu", "cpu"), Map.of());
                state.registry().transition(id, AgentStatus.IDLE);
                for (int k = 0; k < (i + AGENTS / 2) % AGENTS; k++) {
                    state.tasks().submit(TaskSpec.of("held-" + i + "-" + k, "work", new byte[0]));
                    state.tasks().claim(id, Set.of(), LEASE).orElseThrow();
                }
            }
            Supplier<Optional<Lease>> strategy =
                    () -> state.tasks().assign(AssignmentStrategy.LEAST_LOADED, LEASE, null);
            Supplier<Optional<Lease>> chooser = () -> state.tasks().assign(FEWEST_LEASES, LEASE, null);
            assertThat(once(state, chooser)).isEqualTo(once(state, strategy)).isEqualTo("agent-4");

            double[] byStrategy = new double[ROUNDS];
            double[] byChooser = new double[ROUNDS];
            round(state, strategy); // warm-up
            round(state, chooser);
            for (int r = 0; r < ROUNDS; r++) {
                byStrategy[r] = round(state, strategy);
                byChooser[r] = round(state, chooser);
            }
            double s = median(byStrategy);
            double c = median(byChooser);
            System.out.printf(
                    "assign over Redis, %d ops x %d rounds, one thread (submit + assign + complete per op):%n"
                            + "  LEAST_LOADED   median %.1f µs/op  rounds %s%n"
                            + "  Java chooser   median %.1f µs/op  rounds %s%n"
                            + "  chooser / strategy %.2fx%n",
                    OPS, ROUNDS, s, Arrays.toString(byStrategy), c, Arrays.toString(byChooser), c / s);
        }
    }

    /** Microseconds per operation over {@link #OPS} operations; every one must go to agent-4. */
    private double round(CoordinationState state, Supplier<Optional<Lease>> assign) {
        long start = System.nanoTime();
        for (int i = 0; i < OPS; i++) {
            String holder = once(state, assign);
            if (!holder.equals("agent-4")) {
                throw new IllegalStateException("assigned to " + holder + ", not the least loaded agent-4");
            }
        }
        return Math.round((System.nanoTime() - start) / 1e3 / OPS * 10) / 10.0;
    }

    private String once(CoordinationState state, Supplier<Optional<Lease>> assign) {
        state.tasks().submit(TaskSpec.of("t" + next++, "render", new byte[64]).withRequiredCapabilities(Set.of("gpu")));
        Lease lease = assign.get().orElseThrow();
        assertThat(state.tasks().complete(lease, new byte[] {1})).isEqualTo(LeaseOutcome.OK);
        return lease.holder().value();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
