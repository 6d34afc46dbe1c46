package dev.colony.cli.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a demo run that finished: what {@code --json} writes (every field under the name it has had
 * since issue 6, see {@link #fields()}, plus {@code stale_leader} and {@code stale_leader_term}, the leader
 * whose late write was refused and its term) and what the story tells. Null values mean "did not happen" (no
 * worker killed, for instance).
 */
public record Summary(
        String colonyVersion,
        int agents,
        int coordinatorCandidates,
        long seed,
        int tasksSubmitted,
        int tasksDone,
        long retries,
        long leaseExpiries,
        long staleCompletionsRefused,
        String killedWorker,
        String orphanedTask,
        String orphanedTaskCompletedBy,
        int failovers,
        List<Elections.Term> terms,
        String staleLeader,
        long staleTerm,
        int lateWritesRefused,
        int lateWritesAccepted,
        long snapshots,
        long snapshotBytes,
        long lastSnapshotBytes,
        double seconds,
        Latency claimToCompleteMs,
        Invariants invariants,
        List<String> alerts) {

    public Summary {
        terms = List.copyOf(terms);
        alerts = List.copyOf(alerts);
    }

    /** Claim-to-complete latency percentiles in milliseconds, over every successful completion. */
    public record Latency(double p50, double p95, double p99, double max) {}

    public boolean ok() {
        return invariants.ok();
    }

    public double throughputPerSecond() {
        return round(tasksDone / Math.max(seconds, 1e-9));
    }

    /** The JSON fields, in order; {@code alerts} only when some fired. */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("colony_version", colonyVersion);
        fields.put("agents", agents);
        fields.put("coordinator_candidates", coordinatorCandidates);
        fields.put("seed", seed);
        fields.put("timed_out", false); // a run that times out ends with one line and no summary
        fields.put("tasks_submitted", tasksSubmitted);
        fields.put("tasks_done", tasksDone);
        fields.put("retries", retries);
        fields.put("lease_expiries", leaseExpiries);
        fields.put("stale_completions_refused", staleCompletionsRefused);
        fields.put("workers_killed", killedWorker == null ? 0 : 1);
        fields.put("killed_worker", killedWorker);
        fields.put("orphaned_task", orphanedTask);
        fields.put("orphaned_task_completed_by", orphanedTaskCompletedBy);
        fields.put("failovers", failovers);
        fields.put(
                "terms",
                terms.stream()
                        .map(t -> Map.of("term", t.term(), "leaders", t.leaders()))
                        .toList());
        fields.put("late_writes_refused", lateWritesRefused);
        fields.put("late_writes_accepted", lateWritesAccepted);
        fields.put("stale_leader", staleLeader);
        fields.put("stale_leader_term", staleLeader == null ? null : staleTerm);
        fields.put("snapshots", snapshots);
        fields.put("snapshot_bytes", snapshotBytes);
        fields.put("last_snapshot_bytes", lastSnapshotBytes);
        fields.put("seconds", round(seconds));
        fields.put("throughput_per_sec", throughputPerSecond());
        fields.put("claim_to_complete_ms", claimToCompleteMs);
        fields.put("invariants", invariants.asMap());
        fields.put("ok", ok());
        if (!alerts.isEmpty()) {
            fields.put("alerts", alerts);
        }
        return fields;
    }

    private static Map<String, Object> term(Elections.Term term) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("term", term.term());
        fields.put("leaders", term.leaders());
        return fields;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
