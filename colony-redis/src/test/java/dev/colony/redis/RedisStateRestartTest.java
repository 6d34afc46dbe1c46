package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.CoordinationState;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Redis restart in the middle of a workload, with durability on (appendonly, fsync always): every
 * completion the state acknowledged survives, and the scripts, gone from the restarted server's cache,
 * are sent again (EVALSHA answers NOSCRIPT, EVAL reloads).
 */
class RedisStateRestartTest {
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start(true);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** By FCALL (what a node does when the library loads) and by EVALSHA (when the server refuses it). */
    @ParameterizedTest(name = "evalsha={0}")
    @ValueSource(booleans = {false, true})
    void restartMidWorkload_acknowledgedCompletionsSurviveAndScriptsReload(boolean evalsha) throws Exception {
        int tasks = 600;
        Duration lease = Duration.ofSeconds(2); // a claim whose reply was lost is claimable again soon
        try (RedisLink link = RedisLink.open(server.target(evalsha ? "restart-evalsha" : "restart-fcall"));
                EventBus bus = EventBus.create();
                CoordinationState state =
                        RedisState.open(link, bus, StateOptions.defaults().withSweepInterval(Duration.ZERO))) {
            if (evalsha) {
                ((RedisState) state).scripts.useEvalsha();
            }
            for (int i = 0; i < tasks; i++) {
                state.tasks().submit(TaskSpec.of("t" + i, "work", ("in" + i).getBytes(StandardCharsets.UTF_8)));
            }
            ConcurrentHashMap<String, String> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger failures = new AtomicInteger();
            AtomicBoolean restarted = new AtomicBoolean();
            List<Future<?>> workers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Gate gate = new Gate(tasks / 3);
                for (int w = 0; w < 8; w++) {
                    AgentId agent = AgentId.of("w" + w);
                    workers.add(pool.submit(() -> work(state, agent, lease, acknowledged, failures, gate)));
                }
                // a third done, each worker holds the lease it just claimed: the restart comes mid-workload
                // however fast the machine (on a quiet one the 600 tasks took less than a poll interval)
                assertThat(gate.holding.await(60, TimeUnit.SECONDS)).isTrue();
                server.restart();
                restarted.set(true);
                gate.restarted.countDown();
                for (Future<?> worker : workers) {
                    worker.get(120, TimeUnit.SECONDS);
                }
            }

            assertThat(restarted).isTrue();
            // every completion acknowledged before, during or after the restart is there, with its result;
            // the tasks of the others (lapsed leases) were completed by someone
            for (var done : acknowledged.entrySet()) {
                Task task = state.tasks().get(done.getKey()).orElseThrow();
                assertThat(task.status()).as(done.getKey()).isEqualTo(TaskStatus.COMPLETED);
                assertThat(new String(task.result(), StandardCharsets.UTF_8)).isEqualTo(done.getValue());
            }
            assertThat(state.tasks().byStatus(TaskStatus.COMPLETED)).hasSize(tasks);
            if (evalsha) {
                // the scripts were loaded again into the restarted server's cache (NOSCRIPT, then EVAL)
                RedisStateScripts probe = new RedisStateScripts(null, "x");
                String claimSha = sha1(probe.source("task_claim"));
                assertThat(server.command("SCRIPT EXISTS " + claimSha)).contains(":1");
            } else {
                // functions are kept in the AOF: the restarted server still has the library, and calls stayed FCALLs
                assertThat(((RedisState) state).scripts.byFunctions()).isTrue();
                assertThat(server.command("FUNCTION LIST LIBRARYNAME colony")).contains("colony_task_claim");
            }
        }
    }

    /**
     * Claims and completes until nothing is left. An operation that fails while Redis is down is retried;
     * a completion whose reply was lost is retried with the same lease, which answers OK or, if the first
     * attempt took effect, NOT_CLAIMED (then the task must be COMPLETED with this worker's result).
     */
    private static void work(
            CoordinationState state,
            AgentId agent,
            Duration lease,
            ConcurrentHashMap<String, String> acknowledged,
            AtomicInteger failures,
            Gate gate) {
        while (true) {
            Optional<Lease> next;
            try {
                next = state.tasks().claim(agent, Set.of(), lease);
            } catch (IllegalStateException e) {
                failures.incrementAndGet();
                pause();
                continue;
            }
            if (next.isEmpty()) {
                List<Task> open;
                try {
                    open = state.tasks().byStatus(TaskStatus.CLAIMED);
                } catch (IllegalStateException e) {
                    pause();
                    continue;
                }
                if (open.isEmpty()) {
                    return;
                }
                pause(); // a lease whose claim reply was lost: expires only after the lease time
                continue;
            }
            gate.passWith(acknowledged.size());
            String result = agent.value() + ":" + next.get().taskId();
            while (true) {
                try {
                    LeaseOutcome outcome = state.tasks().complete(next.get(), result.getBytes(StandardCharsets.UTF_8));
                    if (outcome == LeaseOutcome.OK) {
                        acknowledged.put(next.get().taskId(), result); // acknowledged: must survive
                    }
                    break; // otherwise the lease lapsed, or a resent completion already took effect
                } catch (IllegalStateException e) {
                    failures.incrementAndGet(); // reply lost: the same completion is sent again
                    pause();
                }
            }
        }
    }

    /** Stops the workers, each holding a claimed lease, once {@code threshold} completions are in, until the restart. */
    private static final class Gate {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch restarted = new CountDownLatch(1);
        private final int threshold;

        Gate(int threshold) {
            this.threshold = threshold;
        }

        void passWith(int acknowledged) {
            if (acknowledged >= threshold && restarted.getCount() > 0) {
                holding.countDown();
                try {
                    restarted.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sha1(String source) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8)));
    }
}
