package dev.colony.cli.demo;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.state.Task;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskStatus;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The evidence gathered at the end of a run, against the colony's own state (not only the workers' reports),
 * and the {@link Invariants} and {@link Summary} built from it.
 */
record Checks(
        DemoSettings settings,
        Ledger ledger,
        List<Elections.Term> terms,
        Chaos.Kill kill,
        Chaos.Failover failover,
        Snapshots.Totals snapshots,
        int completed,
        long attempts,
        int dead,
        Invariants invariants) {

    static Checks of(
            Colony colony,
            DemoSettings settings,
            Ledger ledger,
            Elections elections,
            Chaos.Kill kill,
            Chaos.Failover failover,
            Snapshots.Totals snapshots) {
        TaskQueue queue = colony.tasks();
        int completed = 0;
        long attempts = 0;
        for (int i = 0; i < settings.tasks(); i++) {
            Optional<Task> state = queue.get("task-" + i);
            if (state.isPresent()) {
                attempts += state.get().attempts();
                completed += state.get().status() == TaskStatus.COMPLETED ? 1 : 0;
            }
        }
        int dead = queue.byStatus(TaskStatus.DEAD).size();
        List<Elections.Term> terms = elections.terms();
        String orphan = kill == null ? null : kill.task();
        String killed = kill == null ? null : kill.worker().toString();
        AgentId rescuer = orphan == null ? null : ledger.completedBy(orphan);
        int refused = failover != null && failover.lateWriteRefused() ? 1 : 0;
        int accepted = failover != null && !failover.lateWriteRefused() ? 1 : 0;
        Invariants invariants = new Invariants(
                Invariants.noTaskLost(settings.tasks(), ledger.submitted.get(), completed, dead),
                Invariants.noTaskCompletedTwice(ledger.mostCompletionsOfOneTask(), ledger.tasksDone(), completed),
                Invariants.oneLeaderPerTerm(terms, elections.termsIncrease()),
                Invariants.staleLeaderFenced(refused, accepted),
                Invariants.killedWorkersTaskCompletedByAnother(
                        killed, orphan, rescuer == null ? null : rescuer.toString()));
        return new Checks(settings, ledger, terms, kill, failover, snapshots, completed, attempts, dead, invariants);
    }

    Summary summary(long elapsedNanos, List<String> alerts) {
        Histogram latency = ledger.latencies();
        String orphan = kill == null ? null : kill.task();
        AgentId rescuer = orphan == null ? null : ledger.completedBy(orphan);
        return new Summary(
                dev.colony.Colony.version(),
                settings.agents(),
                Demo.CANDIDATES,
                settings.seed(),
                ledger.submitted.get(),
                completed,
                ledger.failedAttempts.get(),
                attempts - completed - ledger.failedAttempts.get(),
                ledger.staleCompletions.get(),
                kill == null ? null : kill.worker().toString(),
                orphan,
                rescuer == null ? null : rescuer.toString(),
                Math.max(0, terms.size() - 1),
                terms,
                failover == null ? null : failover.old().leader().toString(),
                failover == null ? 0 : failover.old().term(),
                invariantsLateWrites(true),
                invariantsLateWrites(false),
                snapshots.count(),
                snapshots.bytes(),
                snapshots.lastBytes(),
                elapsedNanos / 1e9,
                new Summary.Latency(
                        latency.getValueAtPercentile(50) / 1000.0,
                        latency.getValueAtPercentile(95) / 1000.0,
                        latency.getValueAtPercentile(99) / 1000.0,
                        latency.getMaxValue() / 1000.0),
                invariants,
                alerts);
    }

    private int invariantsLateWrites(boolean refused) {
        return failover != null && failover.lateWriteRefused() == refused ? 1 : 0;
    }
}
