package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.server.auth.Action;
import dev.colony.state.Fence;
import dev.colony.state.Handoff;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.Task;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The task routes: submit (idempotent on id), claim with a lease and a long-poll {@code wait}, renew,
 * complete and fail by lease token (a completion may claim the worker's next task in the same call), cancel,
 * get and list.
 *
 * <p>A claim names the task types it takes: each submitted task requires the hidden capability
 * {@code <account>__t-<type>}, and a claim offers it for each type it names (after authorizing
 * {@code task.claim.<type>}), so a claim never takes a task of another type or another account.
 */
final class TaskRoutes {
    private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    private static final String TYPE_MARK = "_t-";

    private final Parts parts;
    private final TaskQueue tasks;

    TaskRoutes(Parts parts) {
        this.parts = parts;
        this.tasks = parts.colony().tasks();
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/v1/tasks", this::submit),
                Route.of("GET", "/v1/tasks", this::list),
                Route.of("POST", "/v1/tasks/claim", this::claim),
                Route.of("GET", "/v1/tasks/{id}", this::get),
                Route.of("POST", "/v1/tasks/{id}/renew", this::renew),
                Route.of("POST", "/v1/tasks/{id}/complete", this::complete),
                Route.of("POST", "/v1/tasks/{id}/fail", this::fail),
                Route.of("POST", "/v1/tasks/{id}/cancel", this::cancel));
    }

    private Reply submit(Call call) {
        Body body = call.object();
        Namespace ns = call.ns();
        String type = body.text("type");
        String storedType = ns.token(type, "type");
        call.authorize(Action.TASK_SUBMIT, type);
        String id = body.optText("id").orElseGet(Envelope::newId);
        Set<String> required = new HashSet<>();
        for (String capability : body.strings("requiredCapabilities", 64)) {
            required.add(capability(ns, capability));
        }
        required.add(typeMark(ns, type));
        byte[] payload = Json.write(body.required("payload"));
        TaskSpec spec;
        try {
            spec = new TaskSpec(
                    ns.token(id, "id"),
                    storedType,
                    payload,
                    body.integer("priority", 4, 0, 9),
                    required,
                    body.integer("maxAttempts", 3, 1, 1000));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        Optional<Fence> fence = LeaderRoutes.fence(ns, body);
        try {
            if (fence.isPresent()) {
                if (tasks.submit(spec, fence.get()).isEmpty()) {
                    throw staleTerm(fence.get());
                }
            } else {
                tasks.submit(spec);
            }
        } catch (IllegalStateException exists) {
            Task task = tasks.get(spec.id()).orElseThrow(() -> exists);
            if (task.spec().type().equals(spec.type())
                    && Arrays.equals(task.spec().payload(), payload)) {
                return Reply.ok(task(ns, task)); // the same submit again: idempotent
            }
            throw Problem.conflict("TASK_EXISTS", "task \"" + id + "\" exists already with another type or payload");
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        call.audit("task.submit", id);
        return Reply.json(201, task(ns, tasks.get(spec.id()).orElseThrow()));
    }

    private Reply claim(Call call) {
        Namespace ns = call.ns();
        ClaimRequest request = claimRequest(call, ns, call.object());
        Duration wait = call.duration("wait").orElse(Duration.ZERO);
        Duration capped =
                wait.compareTo(parts.limits().maxWait()) > 0 ? parts.limits().maxWait() : wait;
        long deadline = System.nanoTime() + capped.toNanos();
        while (true) {
            long generation = parts.signal().generation();
            Optional<Lease> claimed = tasks.claim(request.agent(), request.offered(), request.lease());
            if (claimed.isPresent()) {
                call.audit("task.claim", ns.local(claimed.get().taskId()));
                return new Reply(200, Reply.JSON, Map.of(), TaskJson.lease(ns, claimed.get()), null);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || !parts.signal().await(generation, remaining)) {
                return Reply.noContent();
            }
        }
    }

    /** What a claim asks: the agent, the type marks and capabilities it offers, the lease. */
    private record ClaimRequest(AgentId agent, Set<String> offered, Duration lease) {}

    /**
     * A claim's members ({@code agent}, {@code types}, {@code capabilities}, {@code lease}), checked and
     * authorized ({@code agent.<agent>}, {@code task.claim.<type>}) before anything changes: the claim route's
     * body, and the {@code next} member of a completion.
     */
    private static ClaimRequest claimRequest(Call call, Namespace ns, Body body) {
        String agentName = body.text("agent");
        AgentId agent = ns.agent(agentName);
        call.authorize(Action.AGENT, agentName);
        List<String> types = body.strings("types", 32);
        if (types.isEmpty()) {
            throw Problem.badRequest(
                    "member " + body.prefix() + "types is missing: name the task types to claim, such as [\"render\"]");
        }
        Set<String> offered = new HashSet<>();
        for (String type : types) {
            ns.token(type, body.prefix() + "types[]");
            call.authorize(Action.TASK_CLAIM, type);
            offered.add(typeMark(ns, type));
        }
        for (String capability : body.strings("capabilities", 64)) {
            offered.add(capability(ns, capability));
        }
        Duration lease = positive(body.duration("lease").orElse(DEFAULT_LEASE), body.prefix() + "lease");
        return new ClaimRequest(agent, offered, lease);
    }

    private Reply renew(Call call) {
        Namespace ns = call.ns();
        Body body = call.object();
        Task task = claimable(call);
        Duration extension = positive(body.duration("extension").orElse(DEFAULT_LEASE), "extension");
        LeaseOutcome outcome = tasks.renew(leaseOf(task, body), extension);
        return outcome(call, "task.renew", outcome, ns, task.spec().id());
    }

    private Reply complete(Call call) {
        Namespace ns = call.ns();
        Body body = call.object();
        Task task = claimable(call);
        byte[] result = body.member("result") == null ? new byte[0] : Json.write(body.member("result"));
        if (body.member("next") != null) {
            return handoff(call, ns, body, task, result);
        }
        Fence fence = LeaderRoutes.fence(ns, body).orElse(null);
        LeaseOutcome outcome;
        try {
            outcome = tasks.complete(leaseOf(task, body), result, fence);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        if (outcome == LeaseOutcome.OK) {
            parts.completed().increment();
        }
        return outcome(call, "task.complete", outcome, ns, task.spec().id());
    }

    /**
     * A completion with {@code next}: completes the task and claims the worker's next one in one queue call
     * ({@link TaskQueue#completeAndClaim}, ADR 0066). The claim is checked and authorized as a claim is, before
     * anything changes; it happens whatever the completion's outcome, so the answer is 200 with the outcome
     * ({@code OK}, {@code STALE_LEASE}, {@code NOT_CLAIMED}) and the next lease when one was claimable. It does
     * not wait: a worker with nothing to do falls back to a claim with {@code wait}.
     */
    private Reply handoff(Call call, Namespace ns, Body body, Task task, byte[] result) {
        if (!body.member("next").isObject()) {
            throw Problem.badRequest("member next must be an object such as {\"agent\": \"w1\", \"types\":"
                    + " [\"render\"]}: the claim made after the completion");
        }
        if (body.member("fence") != null) {
            throw Problem.badRequest("member fence cannot go with next: a completion under a fence claims"
                    + " nothing; complete with the fence, then claim");
        }
        Body next = new Body(body.member("next"), "next.");
        if (next.member("wait") != null) {
            throw Problem.badRequest("member next.wait is not taken: the next claim does not wait (a worker"
                    + " with nothing to do claims with ?wait=)");
        }
        ClaimRequest claim = claimRequest(call, ns, next);
        Lease lease = leaseOf(task, body, claim.agent()); // the queue claims the next task for the lease's holder
        Handoff handoff;
        try {
            handoff = tasks.completeAndClaim(lease, result, claim.offered(), claim.lease());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        String id = ns.local(task.spec().id());
        if (handoff.outcome() == LeaseOutcome.OK) {
            parts.completed().increment();
            call.audit("task.complete", id);
        }
        handoff.next().ifPresent(l -> call.audit("task.claim", ns.local(l.taskId())));
        return new Reply(200, Reply.JSON, Map.of(), TaskJson.handoff(ns, id, handoff), null);
    }

    private Reply fail(Call call) {
        Namespace ns = call.ns();
        Body body = call.object();
        Task task = claimable(call);
        String reason = body.optText("reason").orElse("failed by the client");
        LeaseOutcome outcome = tasks.fail(leaseOf(task, body), reason, body.bool("retryable", true));
        return outcome(call, "task.fail", outcome, ns, task.spec().id());
    }

    private Reply cancel(Call call) {
        Namespace ns = call.ns();
        Task task = find(call);
        call.authorize(Action.TASK_SUBMIT, ns.local(task.spec().type()));
        if (!tasks.cancel(task.spec().id())) {
            throw Problem.conflict(
                    "NOT_CANCELLABLE",
                    "task \"" + call.path("id") + "\" is " + task.status()
                            + ": only a queued or claimed task can be cancelled");
        }
        call.audit("task.cancel", call.path("id"));
        return Reply.ok(task(ns, tasks.get(task.spec().id()).orElseThrow()));
    }

    private Reply get(Call call) {
        Task task = find(call);
        call.authorize(Action.TASK_SUBMIT, call.ns().local(task.spec().type()));
        return Reply.ok(task(call.ns(), task));
    }

    private Reply list(Call call) {
        Namespace ns = call.ns();
        String name = call.query("status").orElse("QUEUED");
        TaskStatus status;
        try {
            status = TaskStatus.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(
                    "status must be one of " + Arrays.toString(TaskStatus.values()) + ", got \"" + name + "\"");
        }
        int limit = call.integer("limit", 1, 10_000).orElse(1000);
        String prefix = ns.account() + "_";
        List<Map<String, Object>> out = tasks.byStatus(status).stream()
                .filter(t -> t.spec().id().startsWith(prefix))
                .limit(limit)
                .map(t -> task(ns, t))
                .toList();
        return Reply.ok(Json.obj("tasks", out));
    }

    /** The task of the path, after authorizing {@code task.claim.<type>}. */
    private Task claimable(Call call) {
        Task task = find(call);
        call.authorize(Action.TASK_CLAIM, call.ns().local(task.spec().type()));
        return task;
    }

    private Task find(Call call) {
        String id = call.path("id");
        return tasks.get(call.ns().token(id, "task id"))
                .orElseThrow(() -> Problem.notFound("NO_SUCH_TASK", "no task \"" + id + "\""));
    }

    /** The lease the client holds by token: the queue checks only the token (and the task it names). */
    private static Lease leaseOf(Task task, Body body) {
        return leaseOf(task, body, task.holder() == null ? AgentId.of("none") : task.holder());
    }

    private static Lease leaseOf(Task task, Body body, AgentId holder) {
        long token = body.longValue("token");
        return new Lease(
                task.spec().id(),
                holder,
                token,
                task.leaseExpiresAt() == null ? java.time.Instant.EPOCH : task.leaseExpiresAt(),
                task.attempts(),
                task);
    }

    private Reply outcome(Call call, String operation, LeaseOutcome outcome, Namespace ns, String storedId) {
        String id = ns.local(storedId);
        return switch (outcome) {
            case OK -> {
                call.audit(operation, id);
                // a finished task may be purged at once by the retention policy: then no task in the answer
                yield new Reply(
                        200,
                        Reply.JSON,
                        Map.of(),
                        TaskJson.ok(ns, tasks.get(storedId).orElse(null)),
                        null);
            }
            case STALE_LEASE ->
                throw Problem.conflict(
                        "STALE_LEASE",
                        "the lease token is not the current lease of task \"" + id
                                + "\" (it expired and was claimed again, or was never issued)");
            case NOT_CLAIMED ->
                throw Problem.conflict(
                        "NOT_CLAIMED", "task \"" + id + "\" is not claimed (it is finished, cancelled or dead)");
            case STALE_TERM -> throw Problem.conflict("STALE_TERM", "the fence's term is no longer current");
        };
    }

    static Problem staleTerm(Fence fence) {
        return Problem.conflict("STALE_TERM", "term " + fence.term() + " is no longer the current term of its group");
    }

    private static Duration positive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw Problem.badRequest(name + " must be positive, got " + d);
        }
        return d;
    }

    static String capability(Namespace ns, String capability) {
        if (capability.startsWith("_")) {
            throw Problem.badRequest("capability \"" + capability + "\" starts with _, which is reserved");
        }
        return ns.token(capability, "capability");
    }

    static String typeMark(Namespace ns, String type) {
        return ns.token(TYPE_MARK + type, "type");
    }

    /** Whether a capability in the account's names is the hidden mark of a task type. */
    static boolean isTypeMark(String localCapability) {
        return localCapability.startsWith(TYPE_MARK);
    }

    static String typeOfMark(String localCapability) {
        return localCapability.substring(TYPE_MARK.length());
    }

    static Map<String, Object> task(Namespace ns, Task t) {
        // the claim and complete answers write the same members with a generator (TaskJson, ADR 0059)
        List<String> capabilities = TaskJson.capabilities(ns, t);
        return Json.obj(
                "id", ns.local(t.spec().id()),
                "type", ns.local(t.spec().type()),
                "status", t.status().name(),
                "priority", t.spec().priority(),
                "maxAttempts", t.spec().maxAttempts(),
                "attempts", t.attempts(),
                "requiredCapabilities", capabilities,
                "payload", Json.fromStored(t.spec().payload()),
                "holder", ns.local(t.holder()),
                "leaseExpiresAt", t.leaseExpiresAt(),
                "notBefore", t.notBefore(),
                "result", t.result() == null || t.result().length == 0 ? null : Json.fromStored(t.result()),
                "lastError", t.lastError(),
                "submittedAt", t.submittedAt());
    }

    /** The claim's answer as a map: {@link TaskJson#lease} writes the same without it (compared in TaskJsonTest). */
    static Map<String, Object> lease(Namespace ns, Lease lease) {
        return Json.obj(
                "taskId", ns.local(lease.taskId()),
                "agent", ns.local(lease.holder()),
                "token", lease.token(),
                "expiresAt", lease.expiresAt(),
                "attempt", lease.attempt(),
                "task", task(ns, lease.task()));
    }
}
