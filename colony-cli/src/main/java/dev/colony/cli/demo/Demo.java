package dev.colony.cli.demo;

import dev.colony.Colony;
import dev.colony.agent.AgentHandle;
import dev.colony.agent.AgentSpec;
import dev.colony.alert.Alert;
import dev.colony.alert.AlertRule;
import dev.colony.alert.Alerts;
import dev.colony.messaging.AgentId;
import dev.colony.state.TaskSpec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One demo run, as a story: spawn the workers and coordinators, wait until a share of the tasks is done, kill
 * a worker holding a task and fail the leader over, wait until every task is done, stop the agents, check
 * the invariants and close the colony. The {@link DemoSettings#timeout()} deadline bounds all of it,
 * spawning and closing included: when it passes, {@link #run} returns {@link Outcome.TimedOut} at once
 * (closing the colony gets a short bound and is left to finish in the background).
 */
public final class Demo {
    /** How a run ended: with a summary, or past its deadline with one line saying where. */
    public sealed interface Outcome {
        record Finished(Summary summary) implements Outcome {}

        record TimedOut(String line) implements Outcome {}
    }

    static final int CANDIDATES = 3;
    static final int MAX_ATTEMPTS = 25;
    static final double CHAOS_AT = 0.30;
    static final Duration ALERT_EVERY = Duration.ofSeconds(1);

    private final DemoSettings settings;
    private final PrintWriter err;
    private final Deadline deadline;
    private final Ledger ledger;
    private final Elections elections = new Elections();
    private final Chaos chaos = new Chaos();
    private final Map<AgentId, AgentHandle> workers = new LinkedHashMap<>();
    private final Map<AgentId, AgentHandle> handles = new LinkedHashMap<>();
    private final Map<AgentId, Coordinator> coordinators = new LinkedHashMap<>();
    private final long start = System.nanoTime();
    // on a terminal the progress line is redrawn in place every 100 ms; elsewhere a plain line each second
    private final boolean terminal =
            System.console() != null && System.console().isTerminal();
    private long lastLineNanos = start;
    private boolean closing;
    private String phase = "starting";

    private Demo(DemoSettings settings, PrintWriter err) {
        this.settings = settings;
        this.err = err;
        this.deadline = Deadline.after(settings.timeout());
        this.ledger = new Ledger(settings.tasks(), CHAOS_AT);
    }

    /** Runs the demo on {@code colony} (an empty one), which it closes; progress goes to {@code err}. */
    public static Outcome run(Colony colony, DemoSettings settings, PrintWriter err) throws InterruptedException {
        return new Demo(settings, err).run(colony);
    }

    private Outcome run(Colony colony) throws InterruptedException {
        Alerts alerts = Alerts.builder(colony.metrics())
                .rules(AlertRule.defaults())
                .publishTo(colony.bus())
                .build()
                .start(ALERT_EVERY);
        Snapshots snapshots = Snapshots.start(colony, ledger);
        try {
            phase = "spawning agents";
            if (!spawn(colony, taskSpecs(settings.tasks(), new SplittableRandom(settings.seed())))) {
                return timedOut(colony, alerts);
            }
            phase = "working";
            if (!awaitWithProgress(ledger.chaosPoint)) {
                return timedOut(colony, alerts);
            }
            phase = "killing a worker";
            Chaos.Kill kill = chaos.killWorker(workers, ledger.allDone, deadline);
            phase = "failing the leader over";
            Chaos.Failover failover = failLeader(colony);
            phase = "working";
            if (!awaitWithProgress(ledger.allDone)) {
                return timedOut(colony, alerts);
            }
            phase = "stopping agents";
            if (!stopAgents()) {
                return timedOut(colony, alerts);
            }
            phase = "checking the invariants";
            Summary summary = summarize(colony, alerts, snapshots, kill, failover);
            phase = "closing the colony";
            return closeWithin(colony, alerts, deadline.remaining())
                    ? new Outcome.Finished(summary)
                    : timedOut(colony, alerts);
        } finally {
            ledger.finish();
            if (!closing) {
                closeWithin(colony, alerts, deadline.remaining()); // a failure on the way: still bounded
            }
        }
    }

    /** The leader failover, then the stale leader stopped (it has made its late write). */
    private Chaos.Failover failLeader(Colony colony) throws InterruptedException {
        Chaos.Failover failover = chaos.failLeader(colony, elections, coordinators, deadline);
        if (failover != null) {
            handles.get(failover.old().leader()).stop(Chaos.min(Duration.ofSeconds(2), deadline.remaining()));
        }
        return failover;
    }

    private Summary summarize(
            Colony colony, Alerts alerts, Snapshots snapshots, Chaos.Kill kill, Chaos.Failover failover)
            throws InterruptedException {
        long elapsed = System.nanoTime() - start;
        Checks checks = Checks.of(colony, settings, ledger, elections, kill, failover, snapshots.stop());
        alerts.close(); // the last evaluation is over before the notifications are read
        return checks.summary(
                elapsed, alerts.recent().stream().map(Alert::message).toList());
    }

    private boolean spawn(Colony colony, TaskSpec[] specs) {
        Timings timings = settings.timings();
        for (int i = 0; i < settings.agents() && !deadline.passed(); i++) {
            Worker worker = new Worker(i, settings.seed(), timings.taskLease(), ledger, chaos);
            AgentHandle handle = colony.spawn(
                    AgentSpec.of(worker.id, "worker")
                            .withCapabilities(worker.capabilities)
                            .withHeartbeatInterval(timings.heartbeatInterval()),
                    worker);
            workers.put(worker.id, handle);
            handles.put(worker.id, handle);
        }
        for (int i = 0; i < CANDIDATES && !deadline.passed(); i++) {
            Coordinator coordinator = new Coordinator(i, specs, settings.agents(), timings, ledger, elections);
            coordinators.put(coordinator.id, coordinator);
            handles.put(
                    coordinator.id,
                    colony.spawn(
                            AgentSpec.of(coordinator.id, "coordinator")
                                    .withHeartbeatInterval(timings.heartbeatInterval()),
                            coordinator));
        }
        return !deadline.passed();
    }

    /** Waits for {@code latch} until the deadline, printing the progress line every 100 ms unless quiet. */
    private boolean awaitWithProgress(CountDownLatch latch) throws InterruptedException {
        while (!latch.await(Math.min(100_000_000L, Math.max(0, deadline.remainingNanos())), TimeUnit.NANOSECONDS)) {
            if (deadline.passed()) {
                return false;
            }
            progress(false);
        }
        progress(true);
        return true;
    }

    /** The progress line; off a terminal at most one a second unless {@code last}. */
    private void progress(boolean last) {
        long now = System.nanoTime();
        if (settings.quiet() || (!terminal && !last && now - lastLineNanos < 1_000_000_000L)) {
            return;
        }
        lastLineNanos = now;
        String line = String.format(
                Locale.ROOT,
                "done %d/%d | retries %d | failovers %d | elapsed %.1fs",
                ledger.tasksDone(),
                settings.tasks(),
                ledger.failedAttempts.get(),
                elections.failovers(),
                (now - start) / 1e9);
        if (terminal) {
            err.print("\r" + line + "   ");
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Stops every agent (workers join their claim loops), within the deadline; false if it passed. */
    private boolean stopAgents() {
        ledger.finish();
        if (!settings.quiet() && terminal) {
            err.println();
            err.flush();
        }
        for (AgentHandle handle : handles.values()) {
            if (deadline.passed()) {
                return false;
            }
            handle.stop(deadline.remaining());
        }
        return true;
    }

    private Outcome timedOut(Colony colony, Alerts alerts) throws InterruptedException {
        ledger.finish();
        // past the deadline: the colony gets a short bound to close, and is otherwise left closing behind us
        closeWithin(
                colony,
                alerts,
                Chaos.min(settings.timeout(), Duration.ofSeconds(5)).dividedBy(2));
        if (!settings.quiet()) {
            err.println();
        }
        return new Outcome.TimedOut(String.format(
                "timed out after %d s (--timeout) while %s: %d of %d agents spawned, %d of %d tasks done",
                settings.timeout().toSeconds(),
                phase,
                workers.size(),
                settings.agents(),
                ledger.tasksDone(),
                settings.tasks()));
    }

    /**
     * Closes the alerts (joining their evaluation thread) and the colony on a thread of their own, waiting at
     * most {@code bound}; false if they were not closed by then (they go on closing in the background).
     */
    private boolean closeWithin(Colony colony, Alerts alerts, Duration bound) throws InterruptedException {
        this.closing = true;
        // a platform thread: with thousands of workers still leaving their loops, a virtual one may wait its turn
        Thread closer = Thread.ofPlatform().daemon(true).name("demo-close").start(() -> {
            alerts.close();
            colony.close();
        });
        return closer.join(bound);
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
}
