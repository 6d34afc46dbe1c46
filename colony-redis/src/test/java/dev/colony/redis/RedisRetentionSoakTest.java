package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.state.CoordinationState;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskRetention;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * State size stays flat under a retention policy: tasks run through submit, claim, complete (one in ten
 * fails for good) by 8 workers, and at every checkpoint the swarm's key count and the size of every task
 * index are exactly the same. {@code -Dcolony.soak.tasks=1000000} runs the long soak (default 4,000, which
 * runs in seconds). {@link #counts_costBeforeAndAfter} measures count costs (opt-in, {@code -Dcolony.bench=true}).
 */
class RedisRetentionSoakTest {
    private static final int TASKS = Integer.getInteger("colony.soak.tasks", 4_000);
    private static final int KEEP = 100;
    private static final int WORKERS = 8;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static StateOptions options(TaskRetention retention) {
        return StateOptions.defaults().withSweepInterval(Duration.ZERO).withTaskRetention(retention);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.HOURS) // the opt-in million; the default run takes seconds
    void soak_manyTasksUnderRetention_stateSizeFlat() throws Exception {
        RedisTarget target = redis.server().target("soak");
        try (RedisLink link = RedisLink.open(target);
                RedisLinkConnection<String, String> admin = link.connectStrings();
                EventBus bus = EventBus.create();
                CoordinationState state =
                        RedisState.open(link, bus, options(TaskRetention.of(TaskRetention.Keep.last(KEEP))))) {
            int checkpoints = 4;
            int per = TASKS / checkpoints;
            List<String> sizes = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < checkpoints; c++) {
                run(state, c * per, per);
                String size =
                        keys(admin, target) + " keys, tasks " + admin.sync().zcard(target.key("s:tasks"))
                                + ", finished " + admin.sync().hlen(target.key("s:finat"))
                                + ", completed " + state.tasks().count(TaskStatus.COMPLETED)
                                + ", dead " + state.tasks().count(TaskStatus.DEAD);
                sizes.add(size);
                System.out.printf(
                        "[soak] after %,d tasks (%.1f s): %s, used_memory %s%n",
                        (c + 1) * per, (System.nanoTime() - started) / 1e9, size, usedMemory(admin));
            }
            assertThat(sizes).as("state size at each checkpoint").containsOnly(sizes.getFirst());
            assertThat(state.tasks().count(TaskStatus.COMPLETED)).isEqualTo(KEEP);
            assertThat(state.tasks().count(TaskStatus.DEAD)).isEqualTo(KEEP);
            assertThat(state.tasks().count(TaskStatus.QUEUED)).isZero();
            assertThat(admin.sync().zcard(target.key("s:tasks"))).isEqualTo(2 * KEEP);
        }
    }

    /** Submits {@code n} tasks from {@code from} and has 8 workers claim and finish every one (1 in 10 dies). */
    private static void run(CoordinationState state, int from, int n) throws Exception {
        for (int i = from; i < from + n; i++) {
            state.tasks().submit(TaskSpec.of("t" + i, "work", new byte[] {1}).withMaxAttempts(1));
        }
        AtomicInteger finished = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                AgentId agent = AgentId.of("w" + w);
                workers.add(pool.submit(() -> {
                    while (finished.get() < n) {
                        Lease lease = state.tasks()
                                .claim(agent, Set.of(), Duration.ofMinutes(5))
                                .orElse(null);
                        if (lease == null) {
                            continue;
                        }
                        LeaseOutcome outcome = lease.taskId().endsWith("7")
                                ? state.tasks().fail(lease, "unlucky", false)
                                : state.tasks().complete(lease, new byte[] {2});
                        assertThat(outcome).isEqualTo(LeaseOutcome.OK);
                        finished.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(6, TimeUnit.HOURS);
            }
        }
        assertThat(finished.get()).isEqualTo(n);
    }

    private static long keys(RedisLinkConnection<String, String> admin, RedisTarget target) {
        return admin.sync()
                .keys(RedisSwarmDrop.escapeGlob(target.prefix()) + "*")
                .size();
    }

    private static String usedMemory(RedisLinkConnection<String, String> admin) {
        for (String line : admin.sync().info("memory").split("\\R")) {
            if (line.startsWith("used_memory:")) {
                return line.substring("used_memory:".length());
            }
        }
        return "?";
    }

    /** Opt-in measurement: count(status) by ZCARD against byStatus(...).size() over 10,000 completed tasks. */
    @Test
    @EnabledIfSystemProperty(named = "colony.bench", matches = "true")
    void counts_costBeforeAndAfter() throws Exception {
        try (RedisLink link = RedisLink.open(redis.server().target("count-cost"));
                EventBus bus = EventBus.create();
                CoordinationState state = RedisState.open(link, bus, options(TaskRetention.KEEP_ALL))) {
            run(state, 0, 10_000);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                int scanned = state.tasks().byStatus(TaskStatus.COMPLETED).size();
                long t1 = System.nanoTime();
                long counted = 0;
                for (int i = 0; i < 1000; i++) {
                    counted = state.tasks().count(TaskStatus.COMPLETED);
                }
                long t2 = System.nanoTime();
                assertThat(counted).isEqualTo(scanned);
                System.out.printf(
                        "[count-cost] byStatus(COMPLETED).size() over %,d tasks: %.1f ms; count(COMPLETED): %.1f µs%n",
                        scanned, (t1 - t0) / 1e6, (t2 - t1) / 1e3 / 1000);
            }
        }
        for (TaskRetention retention :
                List.of(TaskRetention.KEEP_ALL, TaskRetention.of(TaskRetention.Keep.last(KEEP)))) {
            try (RedisLink link = RedisLink.open(redis.server()
                            .target("purge-cost-" + retention.completed().all()));
                    EventBus bus = EventBus.create();
                    CoordinationState state = RedisState.open(link, bus, options(retention))) {
                run(state, 0, 2_000); // warm-up
                long t0 = System.nanoTime();
                run(state, 2_000, 10_000);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        "[purge-cost] %s: 10,000 task cycles in %.2f s, %.0f cycles/s%n",
                        retention.completed().all() ? "keep all" : "keep last " + KEEP, seconds, 10_000 / seconds);
            }
        }
    }
}
