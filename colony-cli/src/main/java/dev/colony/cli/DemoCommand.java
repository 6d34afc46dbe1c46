package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.agent.AgentContext;
import dev.colony.agent.AgentHandle;
import dev.colony.agent.AgentSpec;
import dev.colony.agent.Behavior;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.metrics.Alert;
import dev.colony.metrics.AlertRule;
import dev.colony.metrics.Alerts;
import dev.colony.metrics.Timer;
import dev.colony.snapshot.SnapshotCodec;
import dev.colony.state.Fence;
import dev.colony.state.LeaderElection;
import dev.colony.state.Leadership;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.Task;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code colony demo}: a swarm on the embedded colony. Worker agents claim, work and complete tasks under
 * short leases (some attempts fail and are retried); coordinator candidates campaign for the
 * {@code coordinator} group, and the elected one submits the tasks under its fence. Part-way through, one
 * worker dies holding a task (its lease expires by the clock and another worker completes the task) and the
 * leader dies (another candidate is elected in a higher term; the old leader's late fenced write is
 * refused). Snapshots are taken as it runs (timed into {@code colony.snapshot.duration}), and the default
 * alert rules ({@link AlertRule#defaults()}) are evaluated every second; the alerts that fired, if any, are
 * printed (they do not change the exit code). Exit 0 if every invariant holds, 1 otherwise, 2 on a usage
 * error.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a swarm on the embedded colony: workers, an elected coordinator and retries.",
            "Part-way, a worker dies holding a task and the leader dies (its late fenced write must be refused).",
            "Snapshots are taken as it runs; at the end the invariants are checked.",
            "",
            "Exit code 0 when every invariant holds, 1 otherwise (or on timeout), 2 on a usage error."
        })
public final class DemoCommand implements Callable<Integer> {
    static final String GROUP = "coordinator";
    static final Duration TASK_LEASE = Duration.ofMillis(200);
    static final Duration LEADER_LEASE = Duration.ofMillis(300);
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(250);
    static final Duration SNAPSHOT_EVERY = Duration.ofMillis(200);
    static final Duration ALERT_EVERY = Duration.ofSeconds(1);
    static final int CANDIDATES = 3;
    static final int MAX_ATTEMPTS = 25;
    static final double FAIL_RATE = 0.05;
    static final double KILL_AT = 0.30;
    private static final List<Set<String>> WORKER_CAPABILITIES =
            List.of(Set.of("cpu", "gpu", "io"), Set.of("cpu"), Set.of("cpu", "io"), Set.of("io"), Set.of("cpu", "gpu"));
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--agents", paramLabel = "N", description = "Worker agents (default: ${DEFAULT-VALUE}).")
    int agents = 100;

    @Option(names = "--tasks", paramLabel = "N", description = "Tasks to run (default: ${DEFAULT-VALUE}).")
    int tasks = 2_000;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Give up (exit 1) after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    Path json;

    @Option(
            names = {"-q", "--quiet"},
            description = "No live progress line on stderr.")
    boolean quiet;

    @Option(
            names = "--redis",
            paramLabel = "URI",
            description = "Run the colony in Redis (redis://host:port/swarm, an empty swarm) instead of in this JVM.")
    String redis;

    // ---- shared run state ----
    private TaskSpec[] specs;
    private final AtomicInteger nextTask = new AtomicInteger();
    private final AtomicBoolean crashRequested = new AtomicBoolean();
    private final AtomicReference<Worker> crashed = new AtomicReference<>();
    private final ConcurrentHashMap<String, AtomicInteger> okCompletions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AgentId> completedBy = new ConcurrentHashMap<>();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong staleCompletions = new AtomicLong();
    private final Object grantLock = new Object();
    private final TreeMap<Long, Set<AgentId>> grants = new TreeMap<>(); // guarded by grantLock
    private boolean termsIncrease = true; // guarded by grantLock
    private volatile boolean finished;

    @Option(
            names = "--test-stall",
            hidden = true,
            description = "Hang after the checks (tests the --timeout watchdog).")
    boolean stall;

    /**
     * The heap a worker keeps for the run: its latency histogram (3 significant digits up to an hour, the
     * bulk of it) and its agent (virtual threads, inbox, registry record, claim loop), rounded up.
     */
    static final long BYTES_PER_AGENT = new Histogram(3_600_000_000L, 3).getEstimatedFootprintInBytes() + 32 * 1024;

    /**
     * The heap a task keeps for the run: its spec and payload, the queue's record and indexes, its result,
     * the demo's completion maps, and its share of the encoded snapshots; about 1 KiB measured, doubled.
     */
    static final long BYTES_PER_TASK = 2 * 1024;

    @Override
    public Integer call() throws Exception {
        positive(agents, "--agents");
        positive(tasks, "--tasks");
        positive(timeoutSeconds, "--timeout");
        HeapBudget.check(
                spec,
                new HeapBudget.Need("--agents", agents, BYTES_PER_AGENT, "agent"),
                new HeapBudget.Need("--tasks", tasks, BYTES_PER_TASK, "task"));
        OutputFiles.check(spec, "--json", json);
        if (redis != null) {
            RedisUri.check(spec, "--redis", redis, false);
        }
        return Watchdog.run(
                "demo", Duration.ofSeconds(timeoutSeconds), spec.commandLine().getErr(), this::demo);
    }

    private Integer demo() throws Exception {
        if (stall) {
            new java.util.concurrent.CountDownLatch(1).await(); // until the watchdog interrupts it
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        specs = taskSpecs(tasks, new SplittableRandom(seed));

        StateOptions options = StateOptions.defaults()
                .withHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                .withRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
                .withSweepInterval(Duration.ofMillis(20));
        Map<String, Object> summary;
        Colony.Builder builder = Colony.builder().state(options);
        if (redis != null) {
            builder.redis(redis);
        }
        try (Colony colony = builder.build()) {
            if (colony.state().revision() != 0) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "the swarm at " + Secrets.maskUri(redis) + " already holds state (revision "
                                + colony.state().revision() + "); the demo needs an empty swarm: name a new one");
            }
            Alerts alerts = Alerts.builder(colony.metrics())
                    .rules(AlertRule.defaults())
                    .publishTo(colony.bus())
                    .build()
                    .start(ALERT_EVERY);
            try {
                summary = run(colony, err);
            } finally {
                alerts.close(); // the last evaluation is over before the notifications are read
            }
            List<Alert> fired = alerts.recent();
            if (!fired.isEmpty()) {
                summary.put("alerts", fired.stream().map(Alert::message).toList());
            }
        }
        printSummary(summary, out);
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(json, JSON.writeValueAsString(summary) + System.lineSeparator());
        }
        return Boolean.TRUE.equals(summary.get("ok")) ? 0 : 1;
    }

    private void positive(int value, String option) {
        if (value < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), option + " must be a positive number, got " + value);
        }
    }

    /** The tasks, deterministic for a seed: required capabilities and priorities vary. */
    static TaskSpec[] taskSpecs(int count, SplittableRandom random) {
        TaskSpec[] specs = new TaskSpec[count];
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            Set<String> required = kind < 50
                    ? Set.of("cpu")
                    : kind < 75 ? Set.of("io") : kind < 90 ? Set.of("gpu") : Set.of("cpu", "gpu");
            specs[i] = new TaskSpec(
                    "task-" + i,
                    "demo",
                    ("input " + i).getBytes(StandardCharsets.UTF_8),
                    random.nextInt(10),
                    required,
                    MAX_ATTEMPTS);
        }
        return specs;
    }

    private Map<String, Object> run(Colony colony, PrintWriter err) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
        List<Worker> workers = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            Worker worker = new Worker(
                    AgentId.of("worker-" + i),
                    WORKER_CAPABILITIES.get(i % WORKER_CAPABILITIES.size()),
                    new SplittableRandom(seed * 31 + i),
                    i > 0);
            worker.handle = colony.spawn(
                    AgentSpec.of(worker.id, "worker")
                            .withCapabilities(worker.capabilities)
                            .withHeartbeatInterval(HEARTBEAT_INTERVAL),
                    worker);
            workers.add(worker);
        }
        List<Candidate> candidates = new ArrayList<>(CANDIDATES);
        for (int i = 0; i < CANDIDATES; i++) {
            Candidate candidate = new Candidate(AgentId.of("coordinator-" + i));
            candidate.handle = colony.spawn(
                    AgentSpec.of(candidate.id, "coordinator").withHeartbeatInterval(HEARTBEAT_INTERVAL), candidate);
            candidates.add(candidate);
        }

        AtomicLong snapshots = new AtomicLong();
        AtomicLong snapshotBytes = new AtomicLong();
        Timer snapshotTime = colony.metrics()
                .timer("colony.snapshot.duration", "Time to take a snapshot of the state and encode it.");
        Thread snapshotter = Thread.ofVirtual().name("demo-snapshots").start(() -> {
            while (!finished) {
                byte[] bytes = snapshotTime.time(
                        () -> SnapshotCodec.encode(colony.state().snapshot()));
                snapshots.incrementAndGet();
                snapshotBytes.addAndGet(bytes.length);
                if (!sleep(SNAPSHOT_EVERY.toMillis())) {
                    return;
                }
            }
        });

        Worker killedWorker = null;
        Leadership oldLeadership = null;
        int lateWritesRefused = 0;
        int lateWritesAccepted = 0;
        boolean chaosDone = false;
        boolean timedOut = false;
        long lastProgress = 0;
        while (okCompletions.size() < tasks) {
            long now = System.nanoTime();
            if (now - deadline > 0) {
                timedOut = true;
                break;
            }
            if (!chaosDone && okCompletions.size() >= Math.max(1, (int) (tasks * KILL_AT))) {
                chaosDone = true;
                killedWorker = killWorker(workers, deadline);
                oldLeadership = killLeader(colony.leaders(), candidates, deadline);
                if (oldLeadership != null) {
                    // The old leader wakes up and, still believing it leads, writes under its fence.
                    TaskSpec late = new TaskSpec(
                            "late-write-" + oldLeadership.term(), "demo", new byte[0], 0, Set.of("cpu"), 1);
                    Optional<String> accepted = colony.tasks().submit(late, oldLeadership.fence());
                    if (accepted.isEmpty()) {
                        lateWritesRefused++;
                    } else {
                        lateWritesAccepted++;
                    }
                    for (Candidate candidate : candidates) {
                        if (candidate.id.equals(oldLeadership.leader())) {
                            candidate.handle.stop(Duration.ofSeconds(2));
                        }
                    }
                }
            }
            if (!quiet && now - lastProgress > 100_000_000L) {
                lastProgress = now;
                progress(err, System.nanoTime() - start);
            }
            sleep(10);
        }
        long elapsedNanos = System.nanoTime() - start;
        if (!quiet) {
            progress(err, elapsedNanos);
            err.println();
            err.flush();
        }
        finished = true;
        snapshotter.join();
        byte[] last = SnapshotCodec.encode(colony.state().snapshot());
        snapshots.incrementAndGet();
        snapshotBytes.addAndGet(last.length);

        // ---- invariants, checked against the colony's state ----
        TaskQueue queue = colony.tasks();
        int completed = 0;
        long attempts = 0;
        for (TaskSpec task : specs) {
            Optional<Task> state = queue.get(task.id());
            if (state.isPresent()) {
                attempts += state.get().attempts();
                if (state.get().status() == TaskStatus.COMPLETED) {
                    completed++;
                }
            }
        }
        boolean noTaskLost = !timedOut
                && completed == tasks
                && queue.byStatus(TaskStatus.DEAD).isEmpty()
                && nextTask.get() == tasks;
        boolean noTaskCompletedTwice = okCompletions.values().stream().allMatch(count -> count.get() == 1)
                && okCompletions.size() == completed;
        boolean oneLeaderPerTerm;
        int failovers;
        List<Map<String, Object>> terms = new ArrayList<>();
        synchronized (grantLock) {
            oneLeaderPerTerm = termsIncrease
                    && !grants.isEmpty()
                    && grants.values().stream().allMatch(leaders -> leaders.size() == 1);
            failovers = Math.max(0, grants.size() - 1);
            grants.forEach((term, leaders) -> terms.add(Map.of(
                    "term",
                    term,
                    "leaders",
                    leaders.stream().map(AgentId::toString).sorted().toList())));
        }
        boolean staleLeaderFenced = lateWritesAccepted == 0;
        String orphan = killedWorker == null ? null : killedWorker.orphan;
        boolean orphanRecovered = orphan == null
                || (completedBy.containsKey(orphan) && !completedBy.get(orphan).equals(killedWorker.id));

        // Stop everything (workers join their loops in onStop) before reading their histograms.
        for (Candidate candidate : candidates) {
            candidate.handle.close();
        }
        for (Worker worker : workers) {
            worker.handle.close();
        }
        Histogram latency = new Histogram(3_600_000_000L, 3);
        for (Worker worker : workers) {
            latency.add(worker.latencyMicros);
        }

        Map<String, Object> invariants = new LinkedHashMap<>();
        invariants.put("no_task_lost", noTaskLost);
        invariants.put("no_task_completed_twice", noTaskCompletedTwice);
        invariants.put("one_leader_per_term", oneLeaderPerTerm);
        invariants.put("stale_leader_fenced", staleLeaderFenced);
        invariants.put("killed_workers_task_completed_by_another", orphanRecovered);
        boolean ok = invariants.values().stream().allMatch(Boolean.TRUE::equals);

        double seconds = elapsedNanos / 1e9;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("colony_version", Main.version());
        summary.put("agents", agents);
        summary.put("coordinator_candidates", CANDIDATES);
        summary.put("seed", seed);
        summary.put("timed_out", timedOut);
        summary.put("tasks_submitted", nextTask.get());
        summary.put("tasks_done", completed);
        summary.put("retries", failedAttempts.get());
        summary.put("lease_expiries", attempts - completed - failedAttempts.get());
        summary.put("stale_completions_refused", staleCompletions.get());
        summary.put("workers_killed", killedWorker == null ? 0 : 1);
        summary.put("killed_worker", killedWorker == null ? null : killedWorker.id.toString());
        summary.put("orphaned_task", orphan);
        summary.put("orphaned_task_completed_by", orphan == null ? null : String.valueOf(completedBy.get(orphan)));
        summary.put("failovers", failovers);
        summary.put("terms", terms);
        summary.put("late_writes_refused", lateWritesRefused);
        summary.put("late_writes_accepted", lateWritesAccepted);
        summary.put("snapshots", snapshots.get());
        summary.put("snapshot_bytes", snapshotBytes.get());
        summary.put("last_snapshot_bytes", last.length);
        summary.put("seconds", round(seconds));
        summary.put("throughput_per_sec", round(completed / Math.max(seconds, 1e-9)));
        Map<String, Object> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", latency.getValueAtPercentile(50) / 1000.0);
        percentiles.put("p95", latency.getValueAtPercentile(95) / 1000.0);
        percentiles.put("p99", latency.getValueAtPercentile(99) / 1000.0);
        percentiles.put("max", latency.getMaxValue() / 1000.0);
        summary.put("claim_to_complete_ms", percentiles);
        summary.put("invariants", invariants);
        summary.put("ok", ok);
        if (timedOut) {
            err.printf("demo timed out after %d s: %d of %d tasks done%n", timeoutSeconds, okCompletions.size(), tasks);
            err.flush();
        }
        return summary;
    }

    /**
     * Makes the next worker to claim a task (any but worker-0, which can do every kind of task) die right
     * after that claim, so it holds a task; then stops its agent. Its lease is left to expire by the clock.
     * Whichever worker claims next is the victim: one chosen in advance might never find a task it can do.
     */
    private Worker killWorker(List<Worker> workers, long deadline) {
        if (workers.size() < 2) {
            return null;
        }
        crashRequested.set(true);
        while (crashed.get() == null && !finished && System.nanoTime() < deadline) {
            sleep(1);
        }
        crashRequested.set(false);
        Worker victim = crashed.get();
        if (victim != null) {
            victim.handle.stop(Duration.ofSeconds(2));
        }
        return victim;
    }

    /** Freezes the current leader (no more renewals or writes) and waits until another candidate is elected. */
    private static Leadership killLeader(LeaderElection leaders, List<Candidate> candidates, long deadline) {
        Leadership old = null;
        while (old == null && System.nanoTime() < deadline) {
            Optional<Leadership> current = leaders.leader(GROUP);
            if (current.isPresent()) {
                for (Candidate candidate : candidates) {
                    if (candidate.id.equals(current.get().leader())) {
                        candidate.frozen = true;
                        old = current.get();
                    }
                }
            }
            if (old == null) {
                sleep(5);
            }
        }
        if (old == null) {
            return null;
        }
        while (leaders.currentTerm(GROUP) <= old.term() && System.nanoTime() < deadline) {
            sleep(5);
        }
        return old;
    }

    private void progress(PrintWriter err, long elapsedNanos) {
        int failovers;
        synchronized (grantLock) {
            failovers = Math.max(0, grants.size() - 1);
        }
        err.printf(
                "\rdone %d/%d | retries %d | failovers %d | elapsed %.1fs   ",
                okCompletions.size(), tasks, failedAttempts.get(), failovers, elapsedNanos / 1e9);
        err.flush();
    }

    private static void printSummary(Map<String, Object> summary, PrintWriter out) {
        String line = "%-42s %s%n";
        for (Map.Entry<String, Object> entry : summary.entrySet()) {
            if (entry.getValue() instanceof List<?> list && entry.getKey().equals("alerts")) {
                out.printf("alerts fired (default rules, evaluated every %d s):%n", ALERT_EVERY.toSeconds());
                list.forEach(alert -> out.printf("  %s%n", alert));
            } else if (entry.getValue() instanceof Map<?, ?> map) {
                out.printf("%s:%n", entry.getKey());
                map.forEach((key, value) -> out.printf(line, "  " + key, value));
            } else {
                out.printf(line, entry.getKey(), entry.getValue());
            }
        }
        out.flush();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Sleeps; false if interrupted (the flag is kept). */
    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A worker agent: its onStart starts its claim loop on a virtual thread; onStop ends and joins it. */
    private final class Worker implements Behavior {
        final AgentId id;
        final Set<String> capabilities;
        final SplittableRandom random;
        final boolean canCrash;
        final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
        volatile AgentHandle handle;
        volatile Thread loop;
        volatile boolean running = true;
        volatile String orphan;

        Worker(AgentId id, Set<String> capabilities, SplittableRandom random, boolean canCrash) {
            this.id = id;
            this.canCrash = canCrash;
            this.capabilities = capabilities;
            this.random = random;
        }

        @Override
        public void onStart(AgentContext ctx) {
            loop = Thread.ofVirtual().name("demo-" + id).start(() -> work(ctx.tasks()));
        }

        @Override
        public void onMessage(AgentContext ctx, Envelope message) {}

        @Override
        public void onStop(AgentContext ctx) throws InterruptedException {
            running = false;
            Thread thread = loop;
            if (thread != null) {
                thread.join();
            }
        }

        private void work(TaskQueue queue) {
            while (running && !finished) {
                Optional<Lease> claimed = queue.claim(id, capabilities, TASK_LEASE);
                if (claimed.isEmpty()) {
                    if (!sleep(2)) {
                        return;
                    }
                    continue;
                }
                long claimedAt = System.nanoTime();
                Lease lease = claimed.get();
                if (canCrash && crashRequested.compareAndSet(true, false)) {
                    orphan = lease.taskId(); // dies holding the lease: never completes or fails it
                    crashed.set(this);
                    return;
                }
                if (random.nextInt(4) == 0 && !sleep(1)) {
                    return;
                }
                if (random.nextDouble() < FAIL_RATE) {
                    if (queue.fail(lease, "simulated failure", true) == LeaseOutcome.OK) {
                        failedAttempts.incrementAndGet();
                    }
                    continue;
                }
                byte[] result = ("done by " + id).getBytes(StandardCharsets.UTF_8);
                LeaseOutcome outcome = queue.complete(lease, result);
                if (outcome == LeaseOutcome.OK) {
                    latencyMicros.recordValue((System.nanoTime() - claimedAt) / 1_000);
                    completedBy.put(lease.taskId(), id);
                    okCompletions
                            .computeIfAbsent(lease.taskId(), key -> new AtomicInteger())
                            .incrementAndGet();
                } else {
                    staleCompletions.incrementAndGet();
                }
            }
        }
    }

    /**
     * A coordinator candidate: campaigns for {@link #GROUP}; while it leads, renews its leadership and
     * submits tasks under its fence, keeping the backlog a few tasks per worker deep.
     */
    private final class Candidate implements Behavior {
        final AgentId id;
        volatile AgentHandle handle;
        volatile Thread loop;
        volatile boolean running = true;
        volatile boolean frozen;

        Candidate(AgentId id) {
            this.id = id;
        }

        @Override
        public void onStart(AgentContext ctx) {
            loop = Thread.ofVirtual().name("demo-" + id).start(() -> coordinate(ctx.leaders(), ctx.tasks()));
        }

        @Override
        public void onMessage(AgentContext ctx, Envelope message) {}

        @Override
        public void onStop(AgentContext ctx) throws InterruptedException {
            running = false;
            Thread thread = loop;
            if (thread != null) {
                thread.join();
            }
        }

        private void coordinate(LeaderElection leaders, TaskQueue queue) {
            Leadership leadership = null;
            while (running && !finished) {
                if (frozen) {
                    if (!sleep(5)) {
                        return;
                    }
                    continue;
                }
                if (leadership == null) {
                    synchronized (grantLock) {
                        Optional<Leadership> won = leaders.campaign(GROUP, id, LEADER_LEASE);
                        if (won.isPresent()) {
                            leadership = won.get();
                            Set<AgentId> holders = grants.get(leadership.term());
                            if (holders == null) {
                                termsIncrease &= grants.isEmpty() || grants.lastKey() < leadership.term();
                                holders = ConcurrentHashMap.newKeySet();
                                grants.put(leadership.term(), holders);
                            }
                            holders.add(leadership.leader());
                        }
                    }
                } else if (!leaders.renew(leadership, LEADER_LEASE)) {
                    leadership = null;
                } else if (!submit(queue, leadership.fence())) {
                    leadership = null;
                }
                if (!sleep(20)) {
                    return;
                }
            }
        }

        /** Submits tasks while the backlog is short; false if the fence was refused. */
        private boolean submit(TaskQueue queue, Fence fence) {
            int backlog = Math.max(20, agents * 3);
            int index;
            while (!frozen && (index = nextTask.get()) < tasks && index - okCompletions.size() < backlog) {
                try {
                    if (queue.submit(specs[index], fence).isEmpty()) {
                        return false;
                    }
                } catch (IllegalStateException alreadySubmitted) {
                    // a previous leader submitted it just before losing the group
                }
                nextTask.compareAndSet(index, index + 1);
            }
            return true;
        }
    }
}
