package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentChooser;
import dev.colony.state.AssignmentRounds;
import dev.colony.state.AssignmentStrategy;
import dev.colony.state.Completion;
import dev.colony.state.Fence;
import dev.colony.state.Handoff;
import dev.colony.state.Handoffs;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.Task;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The task queue in Redis: one hash per task ({@code task:<id>}) and the indexes the {@code task_*}
 * scripts keep: submission order, one sorted set per status, ready groups by required capabilities,
 * delayed (retry backoff), claimed (by lease expiry) and held (per agent). Every mutation is one script;
 * lapsed leases are expired by the script that needs them to be (claim, assign, renew, complete, fail)
 * judged by the clock, whether or not the sweeper ran.
 */
final class RedisStateTasks implements TaskQueue {
    private final RedisState state;

    RedisStateTasks(RedisState state) {
        this.state = state;
    }

    @Override
    public String submit(TaskSpec task) {
        checkSubmittable(task);
        submitScript(task, null);
        return task.id();
    }

    @Override
    public Optional<String> submit(TaskSpec task, Fence fence) {
        checkSubmittable(task);
        Objects.requireNonNull(fence, "fence");
        return submitScript(task, fence) ? Optional.of(task.id()) : Optional.empty();
    }

    /** One {@code task_submit_all} call for the whole list: atomic, duplicates of existing ids skipped (ADR 0072). */
    @Override
    public List<String> submitAll(List<TaskSpec> tasks) {
        List<TaskSpec> batch = state.options.checkBatch(tasks);
        if (batch.isEmpty()) {
            return List.of();
        }
        Object[] args = new Object[batch.size() * 6];
        int i = 0;
        for (TaskSpec task : batch) {
            args[i++] = task.id();
            args[i++] = task.type();
            args[i++] = task.priority();
            args[i++] = RedisStateCodec.join(task.requiredCapabilities());
            args[i++] = task.maxAttempts();
            args[i++] = task.payload();
        }
        List<?> flags = RedisState.list(state.run("task_submit_all", args));
        if (flags.size() != batch.size()) {
            throw new RedisStateException(
                    "task_submit_all answered " + flags.size() + " items for " + batch.size() + " tasks");
        }
        List<String> queued = new ArrayList<>(batch.size());
        for (int t = 0; t < flags.size(); t++) {
            if (!RedisState.none(flags.get(t))) {
                queued.add(batch.get(t).id());
            }
        }
        return List.copyOf(queued);
    }

    private boolean submitScript(TaskSpec task, Fence fence) {
        Object result = state.run(
                "task_submit",
                task.id(),
                task.type(),
                task.priority(),
                RedisStateCodec.join(task.requiredCapabilities()),
                task.maxAttempts(),
                task.payload(),
                fence == null ? "" : fence.group(),
                fence == null ? "" : fence.term());
        return !RedisState.none(result);
    }

    private void checkSubmittable(TaskSpec task) {
        Objects.requireNonNull(task, "task");
        state.options.checkSize("payload of task \"" + task.id() + "\"", task.payload().length);
    }

    @Override
    public Optional<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease) {
        Objects.requireNonNull(agent, "agent");
        Set<String> offered = Set.copyOf(capabilities);
        RedisState.positive(lease, "lease");
        Object[] args = new Object[2 + offered.size()];
        args[0] = agent.value();
        args[1] = RedisState.millis(lease);
        int i = 2;
        for (String capability : offered) {
            args[i++] = capability;
        }
        return lease(state.run("task_claim", args));
    }

    @Override
    public Optional<Lease> assign(AssignmentStrategy strategy, Duration lease, Fence fence) {
        Objects.requireNonNull(strategy, "strategy");
        RedisState.positive(lease, "lease");
        return lease(state.run(
                "task_assign",
                strategy.name(),
                RedisState.millis(lease),
                fence == null ? "" : fence.group(),
                fence == null ? "" : fence.term()));
    }

    /**
     * The chooser runs in this JVM between two scripts: {@code task_offer} (catch up, the ready heads and the
     * working agents) and {@code task_give} (the conditional claim of the chosen task for the chosen agent).
     */
    @Override
    public Optional<Lease> assign(AgentChooser chooser, Duration lease, Fence fence) {
        Objects.requireNonNull(chooser, "chooser");
        RedisState.positive(lease, "lease");
        return AssignmentRounds.assign(chooser, lease, fence, claims);
    }

    private final AssignmentRounds.Claims claims = new AssignmentRounds.Claims() {
        @Override
        public AssignmentRounds.Offer offer(Fence fence) {
            Object result =
                    state.run("task_offer", fence == null ? "" : fence.group(), fence == null ? "" : fence.term());
            if (RedisState.none(result)) {
                return null;
            }
            List<?> parts = RedisState.list(result);
            List<TaskSpec> heads = new ArrayList<>();
            for (Object hash : RedisState.list(parts.get(0))) {
                heads.add(RedisStateCodec.task(hash).spec());
            }
            List<?> agents = RedisState.list(parts.get(1));
            List<?> leases = RedisState.list(parts.get(2));
            List<AgentChooser.Candidate> working = new ArrayList<>(agents.size());
            for (int i = 0; i < agents.size(); i++) {
                working.add(new AgentChooser.Candidate(
                        RedisStateCodec.agent(agents.get(i)), (int) RedisStateCodec.number(leases.get(i))));
            }
            return new AssignmentRounds.Offer(heads, working);
        }

        @Override
        public Optional<Lease> claim(String taskId, AgentId agent, Duration lease, Fence fence) {
            return lease(state.run(
                    "task_give",
                    taskId,
                    agent.value(),
                    RedisState.millis(lease),
                    fence == null ? "" : fence.group(),
                    fence == null ? "" : fence.term()));
        }
    };

    private static Optional<Lease> lease(Object result) {
        if (RedisState.none(result)) {
            return Optional.empty();
        }
        return Optional.of(RedisStateCodec.task(result).lease());
    }

    @Override
    public LeaseOutcome renew(Lease lease, Duration extension) {
        Objects.requireNonNull(lease, "lease");
        RedisState.positive(extension, "extension");
        return outcome(state.run("task_renew", lease.taskId(), lease.token(), RedisState.millis(extension)));
    }

    @Override
    public LeaseOutcome complete(Lease lease, byte[] result, Fence fence) {
        Objects.requireNonNull(lease, "lease");
        byte[] copy = Objects.requireNonNull(result, "result").clone();
        state.options.checkSize("result of task \"" + lease.taskId() + "\"", copy.length);
        return outcome(state.run(
                "task_complete",
                lease.taskId(),
                lease.token(),
                copy,
                fence == null ? "" : fence.group(),
                fence == null ? "" : fence.term()));
    }

    /** One {@code task_complete_claim} call: the completion and the next claim in one round trip (ADR 0063). */
    @Override
    public Handoff completeAndClaim(Lease lease, byte[] result, Set<String> capabilities, Duration nextLease) {
        Objects.requireNonNull(lease, "lease");
        byte[] copy = Objects.requireNonNull(result, "result").clone();
        Set<String> offered = Set.copyOf(capabilities);
        Objects.requireNonNull(nextLease, "nextLease");
        RedisState.positive(nextLease, "nextLease");
        state.options.checkSize("result of task \"" + lease.taskId() + "\"", copy.length);
        Object[] args = new Object[5 + offered.size()];
        args[0] = lease.taskId();
        args[1] = lease.token();
        args[2] = copy;
        args[3] = lease.holder().value();
        args[4] = RedisState.millis(nextLease);
        int i = 5;
        for (String capability : offered) {
            args[i++] = capability;
        }
        List<?> reply = RedisState.list(state.run("task_complete_claim", args));
        if (reply.size() != 2) {
            throw new RedisStateException("task_complete_claim answered " + reply.size() + " items, not 2");
        }
        return new Handoff(outcome(reply.get(0)), lease(reply.get(1)));
    }

    /** One {@code task_complete_claim_many} call with no completion (ADR 0072). */
    @Override
    public List<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease, int max) {
        Objects.requireNonNull(agent, "agent");
        Set<String> offered = Set.copyOf(capabilities);
        StateOptions.checkClaim(lease, max);
        return completeAndClaimMany(agent, List.of(), offered, lease, max).next();
    }

    /**
     * {@code task_claim_wait} calls (each claims, or registers the waiter when it finds nothing) with blocks on the
     * waiter's wake-up list between them, until a task is claimed or {@code wait} has passed; then one last claim
     * without registering (ADR 0076).
     */
    @Override
    public List<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease, int max, Duration wait) {
        Objects.requireNonNull(agent, "agent");
        Set<String> offered = Set.copyOf(capabilities);
        StateOptions.checkClaim(lease, max);
        long deadline = System.nanoTime() + StateOptions.checkWait(wait).toNanos();
        String waiter = null;
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs < 1) {
                return completeAndClaimMany(agent, List.of(), offered, lease, max)
                        .next();
            }
            if (waiter == null) {
                waiter = state.waiters.nextWaiter();
            }
            long slice = Math.min(leftMs, state.waiters.maxBlockMs());
            List<Lease> claimed = claimOrWait(agent, offered, lease, max, waiter, slice);
            if (!claimed.isEmpty()) {
                return claimed;
            }
            if (state.waiters.block(waiter, slice) == RedisTaskWaiters.Woken.INTERRUPTED) {
                return List.of();
            }
        }
    }

    private List<Lease> claimOrWait(
            AgentId agent, Set<String> offered, Duration lease, int max, String waiter, long waitMs) {
        Object[] args = new Object[5 + offered.size()];
        args[0] = agent.value();
        args[1] = RedisState.millis(lease);
        args[2] = max;
        args[3] = waiter;
        args[4] = waitMs;
        int i = 5;
        for (String capability : offered) {
            args[i++] = capability;
        }
        List<Lease> claimed = new ArrayList<>();
        for (Object fields : RedisState.list(state.run("task_claim_wait", args))) {
            claimed.add(RedisStateCodec.task(fields).lease());
        }
        return claimed;
    }

    /** One {@code task_complete_claim_many} call: the completions in order, then up to {@code max} claims. */
    @Override
    public Handoffs completeAndClaim(
            AgentId agent, List<Completion> completions, Set<String> capabilities, Duration nextLease, int max) {
        Objects.requireNonNull(agent, "agent");
        List<Completion> done = state.options.checkCompletions(completions, nextLease, max);
        return completeAndClaimMany(agent, done, Set.copyOf(capabilities), nextLease, max);
    }

    private Handoffs completeAndClaimMany(
            AgentId agent, List<Completion> done, Set<String> offered, Duration lease, int max) {
        Object[] args = new Object[4 + 3 * done.size() + offered.size()];
        args[0] = agent.value();
        args[1] = RedisState.millis(lease);
        args[2] = max;
        args[3] = done.size();
        int i = 4;
        for (Completion completion : done) {
            args[i++] = completion.lease().taskId();
            args[i++] = completion.lease().token();
            args[i++] = completion.result();
        }
        for (String capability : offered) {
            args[i++] = capability;
        }
        List<?> reply = RedisState.list(state.run("task_complete_claim_many", args));
        if (reply.size() != 2) {
            throw new RedisStateException("task_complete_claim_many answered " + reply.size() + " items, not 2");
        }
        List<?> answered = RedisState.list(reply.get(0));
        if (answered.size() != done.size()) {
            throw new RedisStateException("task_complete_claim_many answered " + answered.size() + " outcomes for "
                    + done.size() + " completions");
        }
        List<LeaseOutcome> outcomes = new ArrayList<>(answered.size());
        for (Object outcome : answered) {
            outcomes.add(outcome(outcome));
        }
        List<Lease> next = new ArrayList<>();
        for (Object fields : RedisState.list(reply.get(1))) {
            next.add(RedisStateCodec.task(fields).lease());
        }
        return new Handoffs(outcomes, next);
    }

    @Override
    public LeaseOutcome fail(Lease lease, String reason, boolean retryable) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(reason, "reason");
        return outcome(state.run(
                "task_fail",
                lease.taskId(),
                lease.token(),
                reason,
                retryable ? "1" : "0",
                RedisState.millis(state.options.retryBackoff()),
                RedisState.millis(state.options.maxRetryBackoff())));
    }

    private static LeaseOutcome outcome(Object result) {
        String text = RedisStateCodec.text(result);
        try {
            return LeaseOutcome.valueOf(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RedisStateException("a task script answered an unknown lease outcome: " + text);
        }
    }

    @Override
    public boolean cancel(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        return !RedisState.none(state.run("task_cancel", taskId));
    }

    @Override
    public Optional<Task> get(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        Map<String, byte[]> hash = state.hash("task:" + taskId);
        return hash.isEmpty() ? Optional.empty() : Optional.of(RedisStateCodec.task(hash));
    }

    /** One {@code ZCARD S st:<STATUS>}: the scripts keep one sorted set per status, so this is O(1). */
    @Override
    public long count(TaskStatus status) {
        Objects.requireNonNull(status, "status");
        return state.cardinality("st:" + status.name());
    }

    @Override
    public List<Task> byStatus(TaskStatus status) {
        Objects.requireNonNull(status, "status");
        List<Task> tasks = new ArrayList<>();
        for (Object hash : RedisState.list(state.run("task_list", "status", status.name()))) {
            tasks.add(RedisStateCodec.task(hash));
        }
        return List.copyOf(tasks);
    }

    /** Leases that lapsed by the clock but were not expired yet are not held, so they are left out. */
    @Override
    public List<Lease> leasesOf(AgentId agent) {
        Objects.requireNonNull(agent, "agent");
        long now = state.now();
        List<Lease> leases = new ArrayList<>();
        for (Object hash : RedisState.list(state.run("task_list", "held", agent.value()))) {
            Task task = RedisStateCodec.task(hash);
            if (task.leaseExpiresAt() != null && now < task.leaseExpiresAt().toEpochMilli()) {
                leases.add(task.lease());
            }
        }
        return List.copyOf(leases);
    }
}
