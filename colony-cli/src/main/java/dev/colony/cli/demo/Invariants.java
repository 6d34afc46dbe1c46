package dev.colony.cli.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five invariants the demo checks at the end, each a named boolean with the evidence it was decided
 * on. A run is ok only if all five hold.
 */
public record Invariants(
        Check noTaskLost,
        Check noTaskCompletedTwice,
        Check oneLeaderPerTerm,
        Check staleLeaderFenced,
        Check killedWorkersTaskCompletedByAnother) {

    /** One invariant: its name (as in the JSON summary), whether it holds, and the evidence in a sentence. */
    public record Check(String name, boolean holds, String evidence) {}

    /** Every task submitted was completed and none is dead (out of attempts). */
    static Check noTaskLost(int tasks, int submitted, int completed, int dead) {
        return new Check(
                "no_task_lost",
                submitted == tasks && completed == tasks && dead == 0,
                completed + " of " + tasks + " tasks completed (" + submitted + " submitted), " + dead + " dead");
    }

    /** No task was completed successfully more than once, and the workers' count agrees with the queue's. */
    static Check noTaskCompletedTwice(int mostCompletionsOfOneTask, int completedByWorkers, int completedInQueue) {
        return new Check(
                "no_task_completed_twice",
                mostCompletionsOfOneTask <= 1 && completedByWorkers == completedInQueue,
                "at most " + mostCompletionsOfOneTask + " successful completion per task; " + completedByWorkers
                        + " tasks completed by the workers' count, " + completedInQueue + " by the queue's");
    }

    /** Terms were granted in increasing order, at least one was, and each to exactly one candidate. */
    static Check oneLeaderPerTerm(List<Elections.Term> terms, boolean termsIncrease) {
        boolean one = terms.stream().allMatch(term -> term.leaders().size() == 1);
        return new Check(
                "one_leader_per_term",
                termsIncrease && !terms.isEmpty() && one,
                terms.size() + " terms granted" + (termsIncrease ? " in increasing order" : " out of order") + ", "
                        + (one ? "each to one candidate" : "some to several candidates: " + terms));
    }

    /** The stale leader's late write under its old fence was refused (and one was made). */
    static Check staleLeaderFenced(int lateWritesRefused, int lateWritesAccepted) {
        return new Check(
                "stale_leader_fenced",
                lateWritesAccepted == 0,
                lateWritesRefused + " late write(s) under an old term refused, " + lateWritesAccepted + " accepted");
    }

    /** The task the killed worker held was completed by another worker (trivially true when none was killed). */
    static Check killedWorkersTaskCompletedByAnother(String killedWorker, String orphan, String completedBy) {
        boolean holds = orphan == null || (completedBy != null && !completedBy.equals(killedWorker));
        String evidence = orphan == null
                ? "no worker was killed holding a task"
                : orphan + ", held by the killed " + killedWorker + ", completed by "
                        + (completedBy == null ? "nobody" : completedBy);
        return new Check("killed_workers_task_completed_by_another", holds, evidence);
    }

    /** The five checks, in the order of the summary. */
    public List<Check> all() {
        return List.of(
                noTaskLost,
                noTaskCompletedTwice,
                oneLeaderPerTerm,
                staleLeaderFenced,
                killedWorkersTaskCompletedByAnother);
    }

    /** Whether every invariant holds. */
    public boolean ok() {
        return all().stream().allMatch(Check::holds);
    }

    /** Name to outcome, in order: what {@code --json} writes under {@code invariants}. */
    public Map<String, Boolean> asMap() {
        Map<String, Boolean> map = new LinkedHashMap<>();
        all().forEach(check -> map.put(check.name(), check.holds()));
        return map;
    }
}
