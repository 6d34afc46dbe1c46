package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.state.Leadership;
import dev.colony.state.TaskSpec;
import dev.colony.validation.BenchSettings;
import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.Scenario;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Spread;
import dev.colony.validation.ThroughputSpread;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code redis-tasks}: two nodes of one swarm with their coordination state in Redis. Node A submits N tasks
 * from {@value #SUBMITTERS} virtual threads while node B's {@value #WORKERS} worker virtual threads claim and
 * complete them; every task must be completed exactly once. {@code redis-tasks} submits one task per call
 * ({@code submit}, one waited round trip each, so A's submitters bound it: ADR 0063); {@code
 * redis-tasks-batched} submits {@value #BATCH} per call ({@code submitAll}) and its workers take up to {@value
 * #PER_CALL} tasks per call (ADR 0072), so that B's workers set
 * the rate, which is what the goal (claim + complete cycles with 8 workers) is about. Each iteration then measures a leader failover:
 * A wins a 1 s lease, renews it once and stops (a crash, no resignation); B campaigns every 50 ms. Node B
 * runs in a child JVM, or in this one with {@link RedisNodes#ONE_JVM} (ADR 0058).
 */
final class RedisTasksScenario implements Scenario {
    static final int WORKERS = 8;
    static final int SUBMITTERS = 4;
    /** Tasks per {@code submitAll} call in {@code redis-tasks-batched}. */
    static final int BATCH = 100;
    /** Tasks a worker claims (and then completes) per call in {@code redis-tasks-batched}. */
    static final int PER_CALL = 8;

    static final Duration LEADER_LEASE = Duration.ofSeconds(1);
    static final long CAMPAIGN_EVERY_MS = 50;
    /** No figure in the original report: a modest floor that says the task path is not pathologically slow. */
    static final ScenarioResult.Target TARGET = new ScenarioResult.Target("throughput_per_sec", 1_000);

    private final RedisFixture fixture;
    private final RedisBench redis;
    private final int batch;

    /** {@code redis-tasks} when {@code batch} is 1 (one {@code submit} per task), else {@code redis-tasks-batched}. */
    RedisTasksScenario(RedisFixture fixture, int batch) {
        this.fixture = fixture;
        this.redis = fixture.redis();
        this.batch = batch;
    }

    @Override
    public String name() {
        return batch == 1 ? "redis-tasks" : "redis-tasks-batched";
    }

    @Override
    public String description() {
        return "tasks submitted on node A (" + submitting() + "), claimed and completed by 8 workers on node B ("
                + working()
                + "), each exactly once; a leader failover per iteration (lease 1 s); baseline redis-benchmark EVAL"
                + " LPUSH+RPOP";
    }

    private String working() {
        return batch == 1
                ? "each completion claiming the next in one call (completeAndClaim)"
                : "each claiming up to " + PER_CALL + " tasks per call and completing them with the next claims in"
                        + " one call (completeAndClaim of a list)";
    }

    private String submitting() {
        return batch == 1 ? "one submit call per task" : batch + " tasks per submitAll call";
    }

    @Override
    public int defaultWarmup() {
        return 1;
    }

    @Override
    public int defaultIterations() {
        return 3;
    }

    /** The leader failover of each measured iteration. */
    private record LeaderFailover(
            long leaseMs,
            long campaignEveryMs,
            String definition,
            List<Double> failoverMsPerIteration,
            double failoverMsMedian,
            double failoverMsMax,
            long failedFailovers) {}

    /** The figures under {@code details}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Details(
            String swarm,
            int tasksPerIteration,
            String workers,
            String submitters,
            String nodes,
            String mode,
            String latencyBasis,
            @JsonUnwrapped ThroughputSpread spread,
            long completedTwice,
            long completeNotOk,
            long iterationsTimedOut,
            String targetNote,
            LeaderFailover leaderFailover,
            String keysDeleted,
            String baseline,
            String baselineCommand) {}

    /** Counts over the whole run: tasks completed twice or not OK, timed-out iterations, failovers. */
    private static final class Totals {
        final List<Double> failovers = new ArrayList<>();
        long twice;
        long notOk;
        long failedFailovers;
        long timedOut;
    }

    @Override
    public ScenarioResult run(BenchSettings settings) throws Exception {
        int n = redis.size(5_000, 1_000);
        Totals totals = new Totals();
        Colony a = fixture.a();
        NodeB b = fixture.b();
        Measurement m = Loop.measure(settings, name(), n, it -> {
            long start = System.nanoTime();
            NodeBReply got = submitAndComplete(a, b, (batch == 1 ? "t-" : "tb-") + it + "-", n, batch);
            long elapsed = System.nanoTime() - start;
            totals.timedOut += got.good() < n ? 1 : 0;
            totals.twice = got.duplicates();
            totals.notOk = got.notOk();
            double failover = failover(a, b, name() + "-leader-" + it);
            totals.failedFailovers += failover < 0 ? 1 : 0;
            if (it >= settings.warmup()) {
                totals.failovers.add(failover);
            }
            settings.progress(
                    "%s: iteration %d: %d/%d tasks in %.3f s; failover %.0f ms",
                    name(), it + 1, got.good(), n, elapsed / 1e9, failover);
            return Loop.Tally.of(elapsed, got.good(), got.histogram());
        });
        String key = RedisBench.prefix(fixture.swarm()) + "rb-list";
        String script = "redis.call('LPUSH',KEYS[1],ARGV[1]) return redis.call('RPOP',KEYS[1])";
        String command = redis.benchmarkCommand(n, "EVAL \"" + script + "\" 1 " + key + " <64 B>");
        var baseline = redis.baseline(
                "redis-benchmark EVAL LPUSH+RPOP",
                "redis-benchmark's own count of EVAL requests per second, each one Lua script that pushes a 64-byte"
                        + " value on a list and pops it (" + command + ", 50 clients): one request per queue cycle,"
                        + " no Colony work (no leases, no task hash, no announcements), nothing checked",
                m.iterations(),
                n,
                m.throughput(),
                "EVAL",
                script,
                "1",
                key,
                "x".repeat(64));
        Details details = details(n, m, totals, baseline.isEmpty() ? null : command);
        boolean clean = totals.twice == 0 && totals.failedFailovers == 0;
        return ScenarioResult.of(
                        name(), m, new ScenarioResult.Verified(m.expected(), m.observed()), TARGET, clean, details)
                .with(baseline.orElse(null));
    }

    /**
     * Node A submits tasks {@code prefix0..} from its submitter threads while node B's workers claim and
     * complete them; returns node B's counts when every task was completed once or the 120 s bound passed.
     */
    private static NodeBReply submitAndComplete(Colony a, NodeB b, String prefix, int n, int batch)
            throws InterruptedException {
        b.call("tasks.start " + prefix + " " + n + (batch == 1 ? "" : " " + PER_CALL), 60);
        Thread[] submitters = new Thread[SUBMITTERS];
        for (int s = 0; s < SUBMITTERS; s++) {
            int first = s;
            submitters[s] = Thread.ofVirtual().start(() -> {
                List<TaskSpec> pending = new ArrayList<>(batch);
                for (int seq = first; seq < n; seq += SUBMITTERS) {
                    byte[] payload =
                            ByteBuffer.allocate(64).putLong(System.nanoTime()).array();
                    TaskSpec task = TaskSpec.of(prefix + seq, "bench", payload);
                    if (batch == 1) {
                        a.tasks().submit(task);
                        continue;
                    }
                    pending.add(task);
                    if (pending.size() == batch || seq + SUBMITTERS >= n) {
                        a.tasks().submitAll(pending);
                        pending.clear();
                    }
                }
            });
        }
        for (Thread t : submitters) {
            t.join();
        }
        return b.call("tasks.await", (int) (TaskWorkers.BOUND_NANOS / 1_000_000_000L) + 60);
    }

    private Details details(int n, Measurement m, Totals totals, String baselineCommand) {
        Spread failover = Spread.of(totals.failovers, 0);
        LeaderFailover leader = new LeaderFailover(
                LEADER_LEASE.toMillis(),
                CAMPAIGN_EVERY_MS,
                "A wins a 1 s lease, renews it once and stops (no resignation); failover_ms is from just before A"
                        + " sent that last renewal to the return of B's first winning campaign (B campaigns every"
                        + " 50 ms from the renewal on); B's term must be above A's",
                totals.failovers,
                Measurement.round(failover.median()),
                Measurement.round(failover.max()),
                totals.failedFailovers);
        return new Details(
                fixture.swarm(),
                n,
                WORKERS + " virtual threads on node B, claim lease 30 s, " + working(),
                SUBMITTERS + " virtual threads on node A, " + submitting(),
                fixture.nodes().flag(),
                fixture.mode("node A submits tasks and loses a leadership, node B's workers claim and complete, and"
                        + " node B campaigns"),
                "submit call on A to B's OK complete, every task (" + fixture.clock() + ")",
                m.spread(),
                totals.twice,
                totals.notOk,
                totals.timedOut,
                "no figure in the original report; 1,000 cycles/s is a modest floor",
                leader,
                fixture.keysDeleted(),
                baselineCommand == null ? RedisBench.NO_BASELINE : null,
                baselineCommand);
    }

    /**
     * A crashes as leader, B takes over: the milliseconds from A's last renewal to B's win, or -1 when A did
     * not win, B did not win within 10 s, or B's term is not above A's.
     */
    private static double failover(Colony a, NodeB b, String group) throws InterruptedException {
        AgentId first = AgentId.of("leader-a");
        Optional<Leadership> won = a.leaders().campaign(group, first, LEADER_LEASE);
        if (won.isEmpty()) {
            return -1;
        }
        Thread.sleep(200);
        long renewedAt = System.nanoTime();
        if (!a.leaders().renew(won.get(), LEADER_LEASE)) {
            return -1;
        }
        NodeBReply next = b.call(
                "leader.campaign " + group + " " + LEADER_LEASE.toMillis() + " " + CAMPAIGN_EVERY_MS + " 10", 70);
        return next.term() > won.get().term() ? Measurement.round((next.at() - renewedAt) / 1e6) : -1;
    }
}
