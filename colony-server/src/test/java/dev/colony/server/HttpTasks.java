package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentChooser;
import dev.colony.state.AssignmentStrategy;
import dev.colony.state.Fence;
import dev.colony.state.Handoff;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import dev.colony.state.StateOptions;
import dev.colony.state.Task;
import dev.colony.state.TaskQueue;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Colony's {@link TaskQueue} spoken over {@code /v1/tasks}. A claim over HTTP names the task types it takes
 * (ADR 0029); the Java API has no types, so every claim offers {@link #TYPES}, the types the contract suites
 * submit. Payloads and results travel as JSON values, as memory values do ({@link HttpMemory}).
 *
 * <p>Two operations have no route and are the colony's own, with names translated as in every answer
 * (ADR 0044): {@link #assign} (a coordinator runs it in the server's process, for agents registered over
 * HTTP with their task types) and {@link #leasesOf} (an agent's leases with their tokens, which no route
 * shows: only the claim's answer carries a token).
 */
final class HttpTasks implements TaskQueue {
    /** The task types of the contract suites: every claim offers them all. */
    static final List<String> TYPES = List.of("work", "render", "index", "job");

    private final Http http;
    private final TaskQueue server;

    HttpTasks(Http http, TaskQueue server) {
        this.http = http;
        this.server = server;
    }

    @Override
    public String submit(TaskSpec task) {
        return submit(task, null).orElseThrow();
    }

    /**
     * One {@code POST /v1/tasks} per task (no batch route): 201 is a task queued; 200 (the same submit again) and
     * 409 {@code TASK_EXISTS} are an id that exists, skipped as the contract says.
     */
    @Override
    public List<String> submitAll(List<TaskSpec> tasks) {
        List<TaskSpec> batch =
                StateOptions.defaults().withMaxValueBytes(Integer.MAX_VALUE).checkBatch(tasks);
        List<String> queued = new ArrayList<>();
        for (TaskSpec task : batch) {
            Http.Res res = post(task, null);
            if (res.status() == 200 || (res.status() == 409 && res.code().equals("TASK_EXISTS"))) {
                continue;
            }
            queued.add(HttpWire.expect(res, 201).path("id").asString());
        }
        return List.copyOf(queued);
    }

    private Http.Res post(TaskSpec task, Fence fence) {
        return http.post(
                "/v1/tasks",
                HttpWire.json(
                        "id", task.id(),
                        "type", task.type(),
                        "payload", Json.fromStored(task.payload()),
                        "priority", task.priority(),
                        "requiredCapabilities", List.copyOf(task.requiredCapabilities()),
                        "maxAttempts", task.maxAttempts(),
                        "fence", HttpWire.fence(fence)));
    }

    /** 201 a new task, 200 the same submit again (idempotent over HTTP), 409 {@code TASK_EXISTS} otherwise. */
    @Override
    public Optional<String> submit(TaskSpec task, Fence fence) {
        Http.Res res = post(task, fence);
        if (res.status() == 409 && res.code().equals("STALE_TERM")) {
            return Optional.empty();
        }
        if (res.status() == 409 && res.code().equals("TASK_EXISTS")) {
            throw new IllegalStateException(res.json().path("detail").asString());
        }
        return Optional.of(
                HttpWire.expect(res, res.status() == 200 ? 200 : 201).path("id").asString());
    }

    @Override
    public Optional<Lease> claim(AgentId agent, Set<String> capabilities, Duration lease) {
        Http.Res res = http.post(
                "/v1/tasks/claim",
                HttpWire.json(
                        "agent", agent.value(),
                        "types", TYPES,
                        "capabilities", List.copyOf(capabilities),
                        "lease", HttpWire.duration(lease)));
        if (res.status() == 204) {
            return Optional.empty();
        }
        return Optional.of(lease(HttpWire.expect(res, 200)));
    }

    @Override
    public LeaseOutcome renew(Lease lease, Duration extension) {
        return outcome(
                lease, "renew", HttpWire.json("token", lease.token(), "extension", HttpWire.duration(extension)));
    }

    @Override
    public LeaseOutcome complete(Lease lease, byte[] result, Fence fence) {
        return outcome(
                lease,
                "complete",
                HttpWire.json(
                        "token", lease.token(),
                        "result", Json.fromStored(result),
                        "fence", HttpWire.fence(fence)));
    }

    /**
     * {@code POST /v1/tasks/{id}/complete} with {@code next}: the completion and the next claim (of {@link #TYPES})
     * in one request. A refusal of the server (400) is the Java API's IllegalArgumentException, with the
     * {@code next.lease} of its detail named {@code nextLease} as the Java API names it.
     */
    @Override
    public Handoff completeAndClaim(Lease lease, byte[] result, Set<String> capabilities, Duration nextLease) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(result, "result");
        List<String> offered = List.copyOf(capabilities);
        Objects.requireNonNull(nextLease, "nextLease");
        Http.Res res = http.post(
                path(lease.taskId()) + "/complete",
                HttpWire.json(
                        "token", lease.token(),
                        "result", Json.fromStored(result),
                        "next",
                                Json.obj(
                                        "agent",
                                        lease.holder().value(),
                                        "types",
                                        TYPES,
                                        "capabilities",
                                        offered,
                                        "lease",
                                        HttpWire.duration(nextLease))));
        if (res.status() == 404 && res.code().equals("NO_SUCH_TASK")) {
            // as the Java API answers an unknown task; the server claims nothing then, so claim as the Java API does
            return new Handoff(LeaseOutcome.NOT_CLAIMED, claim(lease.holder(), capabilities, nextLease));
        }
        if (res.status() == 400) {
            throw new IllegalArgumentException(
                    res.json().path("detail").asString().replace("next.lease", "nextLease"));
        }
        JsonNode answer = HttpWire.expect(res, 200);
        LeaseOutcome outcome = LeaseOutcome.valueOf(answer.path("outcome").asString());
        return new Handoff(
                outcome, answer.hasNonNull("next") ? Optional.of(lease(answer.path("next"))) : Optional.empty());
    }

    @Override
    public LeaseOutcome fail(Lease lease, String reason, boolean retryable) {
        return outcome(lease, "fail", HttpWire.json("token", lease.token(), "reason", reason, "retryable", retryable));
    }

    @Override
    public boolean cancel(String taskId) {
        Http.Res res = http.post(path(taskId) + "/cancel", null);
        if (res.status() == 404 || (res.status() == 409 && res.code().equals("NOT_CANCELLABLE"))) {
            return false;
        }
        HttpWire.expect(res, 200);
        return true;
    }

    @Override
    public Optional<Lease> assign(AssignmentStrategy strategy, Duration lease, Fence fence) {
        Fence stored = fence == null ? null : new Fence(HttpStateFixture.ACCOUNT + fence.group(), fence.term());
        return server.assign(strategy, lease, stored).map(this::local);
    }

    /**
     * Like {@link #assign(AssignmentStrategy, Duration, Fence)}, in the server's process; the chooser sees the
     * task and its candidates as {@code GET /v1/tasks/{id}} and {@code GET /v1/agents/{id}} show them (the
     * client's names), its choice goes back with the account's prefix, and a refusal names them unprefixed.
     */
    @Override
    public Optional<Lease> assign(AgentChooser chooser, Duration lease, Fence fence) {
        Objects.requireNonNull(chooser, "chooser");
        Fence stored = fence == null ? null : new Fence(HttpStateFixture.ACCOUNT + fence.group(), fence.term());
        HttpAgents agents = new HttpAgents(http);
        AgentChooser inClientNames = (task, candidates) -> {
            TaskSpec local = task(HttpWire.expect(http.get(path(HttpStateFixture.strip(task.id()))), 200), 0)
                    .spec();
            List<AgentChooser.Candidate> mine = new ArrayList<>(candidates.size());
            for (AgentChooser.Candidate candidate : candidates) {
                AgentId id = AgentId.of(HttpStateFixture.strip(candidate.id().value()));
                mine.add(new AgentChooser.Candidate(agents.get(id).orElseThrow(), candidate.leases()));
            }
            Optional<AgentId> choice = chooser.choose(local, mine);
            return choice == null // the server's own check refuses it
                    ? null
                    : choice.map(chosen -> AgentId.of(HttpStateFixture.ACCOUNT + chosen.value()));
        };
        try {
            return server.assign(inClientNames, lease, stored).map(this::local);
        } catch (IllegalArgumentException e) { // the names in the message as an answer would show them
            throw new IllegalArgumentException(e.getMessage().replace("\"" + HttpStateFixture.ACCOUNT, "\""), e);
        }
    }

    @Override
    public Optional<Task> get(String taskId) {
        Http.Res res = http.get(path(taskId));
        if (res.status() == 404 && res.code().equals("NO_SUCH_TASK")) {
            return Optional.empty();
        }
        return Optional.of(task(HttpWire.expect(res, 200), 0));
    }

    @Override
    public List<Task> byStatus(TaskStatus status) {
        JsonNode answer = HttpWire.expect(http.get("/v1/tasks?status=" + status + "&limit=10000"), 200);
        List<Task> out = new ArrayList<>();
        answer.path("tasks").forEach(t -> out.add(task(t, 0)));
        return out;
    }

    @Override
    public List<Lease> leasesOf(AgentId agent) {
        return server.leasesOf(AgentId.of(HttpStateFixture.ACCOUNT + agent.value())).stream()
                .map(this::local)
                .toList();
    }

    private LeaseOutcome outcome(Lease lease, String operation, String body) {
        Http.Res res = http.post(path(lease.taskId()) + "/" + operation, body);
        if (res.status() == 404 && res.code().equals("NO_SUCH_TASK")) {
            return LeaseOutcome.NOT_CLAIMED; // as the Java API answers for an unknown task
        }
        if (res.status() == 409) {
            return LeaseOutcome.valueOf(res.code());
        }
        HttpWire.expect(res, 200);
        return LeaseOutcome.OK;
    }

    /** A lease the colony handed out, in the client's names, with the task as {@code GET} shows it. */
    private Lease local(Lease stored) {
        String id = HttpStateFixture.strip(stored.taskId());
        Task task = task(HttpWire.expect(http.get(path(id)), 200), stored.token());
        return new Lease(
                id,
                AgentId.of(HttpStateFixture.strip(stored.holder().value())),
                stored.token(),
                stored.expiresAt(),
                stored.attempt(),
                task);
    }

    private static String path(String taskId) {
        return "/v1/tasks/" + HttpWire.segment(taskId);
    }

    private static Lease lease(JsonNode node) {
        long token = node.path("token").asLong();
        return new Lease(
                node.path("taskId").asString(),
                AgentId.of(node.path("agent").asString()),
                token,
                Instant.parse(node.path("expiresAt").asString()),
                node.path("attempt").asInt(),
                task(node.path("task"), token));
    }

    /** A task from its JSON; no route shows the lease token, so the caller passes the one it knows (or 0). */
    static Task task(JsonNode node, long leaseToken) {
        Set<String> required = new HashSet<>();
        node.path("requiredCapabilities").forEach(c -> required.add(c.asString()));
        TaskSpec spec = new TaskSpec(
                node.path("id").asString(),
                node.path("type").asString(),
                HttpMemory.bytes(node.path("payload")),
                node.path("priority").asInt(),
                required,
                node.path("maxAttempts").asInt());
        return new Task(
                spec,
                TaskStatus.valueOf(node.path("status").asString()),
                node.path("attempts").asInt(),
                node.hasNonNull("holder") ? AgentId.of(node.path("holder").asString()) : null,
                leaseToken,
                instant(node, "leaseExpiresAt"),
                instant(node, "notBefore"),
                node.hasNonNull("result") ? HttpMemory.bytes(node.path("result")) : null,
                node.hasNonNull("lastError") ? node.path("lastError").asString() : null,
                instant(node, "submittedAt"));
    }

    static Instant instant(JsonNode node, String name) {
        return node.hasNonNull(name) ? Instant.parse(node.path(name).asString()) : null;
    }
}
