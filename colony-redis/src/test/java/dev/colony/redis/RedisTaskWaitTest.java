package dev.colony.redis;

import static dev.colony.bus.BusTesting.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waiting claims on Redis (ADR 0076): a waiter registered in the same call as its empty claim is woken by the
 * next call that makes a task ready, whichever comes first of that call and the waiter's {@code BLPOP}. The link's
 * command timeout is 60 s, so each block lasts up to 30 s: a waiter that slept through a task would end a block
 * by its slice, which {@link RedisTaskWaiters#slices()} counts, and the tests require none.
 */
class RedisTaskWaitTest {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration LONG_WAIT = Duration.ofMinutes(10);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static RedisLink link(String swarm) {
        return RedisLink.open(redis.server().target(swarm), RedisSettings.from(Map.of("commandTimeout", "60s")));
    }

    private static TaskSpec spec(String id) {
        return TaskSpec.of(id, "work", id.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * 150 rounds: 4 workers of node B wait (one task each) while node A submits 4 tasks, each after a random
     * pause of 0-2 ms (fixed, logged seed), so that submits land before, between and after the waiters' empty
     * claims and their blocks. Every round, each waiter gets exactly one task; no block ever ran out its slice.
     */
    @Test
    void claimWait_racingSubmitsFromAnotherNode_noLostWakeUpAndExactCounts() throws Exception {
        long seed = 20261208L;
        System.out.println("RedisTaskWaitTest race: seed " + seed);
        Random random = new Random(seed);
        String swarm = "wait-" + SWARMS.incrementAndGet();
        int rounds = 150;
        int waiters = 4;
        try (RedisLink linkA = link(swarm);
                RedisLink linkB = link(swarm);
                EventBus busA = EventBus.create();
                EventBus busB = EventBus.create();
                RedisState a = (RedisState) RedisState.open(linkA, busA, options());
                RedisState b = (RedisState) RedisState.open(linkB, busB, options());
                ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicIntegerArray claimed = new AtomicIntegerArray(rounds * waiters);
            for (int r = 0; r < rounds; r++) {
                List<Future<List<Lease>>> waiting = new ArrayList<>();
                for (int w = 0; w < waiters; w++) {
                    AgentId worker = AgentId.of("w" + w);
                    waiting.add(executor.submit(() -> b.tasks().claim(worker, Set.of(), LEASE, 1, LONG_WAIT)));
                }
                for (int t = 0; t < waiters; t++) {
                    int pause = random.nextInt(3);
                    if (pause > 0) {
                        Thread.sleep(pause);
                    }
                    a.tasks().submit(spec("r" + r + "-" + t));
                }
                for (Future<List<Lease>> f : waiting) {
                    List<Lease> got = f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(got).hasSize(1);
                    Lease lease = got.getFirst();
                    String[] parts = lease.taskId().substring(1).split("-");
                    claimed.incrementAndGet(Integer.parseInt(parts[0]) * waiters + Integer.parseInt(parts[1]));
                    assertThat(b.tasks().complete(lease, new byte[0])).isEqualTo(LeaseOutcome.OK);
                }
            }
            for (int i = 0; i < rounds * waiters; i++) {
                assertThat(claimed.get(i)).as("claims of task " + i).isEqualTo(1);
            }
            assertThat(b.tasks().count(TaskStatus.COMPLETED)).isEqualTo(rounds * waiters);
            assertThat(b.waiters.slices()).as("blocks that ran out their slice").isZero();
            assertThat(b.waiters.polled()).isZero();
            // bounded: every wake-up list holds at most one token, and none is left without a TTL
            for (String key : keys("colony:{" + swarm + "}:s:wake:*")) {
                assertThat(Long.parseLong(redis.server().command("LLEN " + key).substring(1)))
                        .isLessThanOrEqualTo(1);
                assertThat(Long.parseLong(redis.server().command("PTTL " + key).substring(1)))
                        .isPositive();
            }
        }
    }

    /** A waiter whose wait ends with nothing claimable gets nothing and leaves no list behind without a TTL. */
    @Test
    void claimWait_nothingSubmitted_returnsEmptyAfterItsSlices() {
        String swarm = "wait-" + SWARMS.incrementAndGet();
        try (RedisLink link = RedisLink.open(
                        redis.server().target(swarm), RedisSettings.from(Map.of("commandTimeout", "4s")));
                EventBus bus = EventBus.create();
                RedisState state = (RedisState) RedisState.open(link, bus, options())) {
            TaskQueue tasks = state.tasks();

            assertThat(tasks.claim(AgentId.of("idle"), Set.of(), LEASE, 4, Duration.ofMillis(4_500)))
                    .isEmpty();

            assertThat(state.waiters.slices()).isGreaterThanOrEqualTo(2); // slices of 2 s
            assertThat(state.waiters.tokens()).isZero();
            tasks.submit(spec("late"));
            assertThat(tasks.claim(AgentId.of("idle"), Set.of(), LEASE, 4, Duration.ZERO))
                    .extracting(Lease::taskId)
                    .containsExactly("late");
        }
    }

    private static StateOptions options() {
        return StateOptions.defaults().withSweepInterval(Duration.ZERO);
    }

    private static List<String> keys(String pattern) {
        String reply = redis.server().command("KEYS " + pattern);
        List<String> keys = new ArrayList<>();
        for (String line : reply.split("\r\n")) {
            if (!line.startsWith("*") && !line.startsWith("$") && !line.isBlank()) {
                keys.add(line);
            }
        }
        return keys;
    }
}
