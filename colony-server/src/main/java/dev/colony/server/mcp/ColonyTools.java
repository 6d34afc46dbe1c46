package dev.colony.server.mcp;

import dev.colony.server.LocalApi;
import dev.colony.server.LocalApi.Answer;
import dev.colony.server.auth.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the twelve tools do, each by calling the {@code /v1} routes in process ({@link LocalApi}): the same
 * guard checks, namespaces, audit and outcomes as HTTP. A refused or failed route becomes a {@link ToolError}
 * with the route's outcome code and detail.
 */
final class ColonyTools {
    private final LocalApi api;

    ColonyTools(LocalApi api) {
        this.api = api;
    }

    /** Runs one tool; the answer is the tool's own result (the caller adds the agent's state). */
    Object call(Principal p, String tool, Args a) {
        return switch (tool) {
            case "colony_join" -> join(p, a);
            case "swarm_status" -> status(p);
            case "task_submit" -> submit(p, a);
            case "task_claim" -> claim(p, a);
            case "task_progress" ->
                post(
                                p,
                                List.of("v1", "tasks", a.text("taskId"), "renew"),
                                Map.of(
                                        "token",
                                        a.number("token"),
                                        "extension",
                                        a.seconds("extend", 120, 1, 86_400) + "s"))
                        .body();
            case "task_finish" -> finish(p, a);
            case "message_send" -> send(p, a);
            case "inbox_read" -> inbox(p, a);
            case "memory_get" ->
                api.call(p, "GET", memoryPath(a), Map.of(), Map.of(), null) instanceof Answer r ? ok(r).body() : null;
            case "memory_put" -> put(p, a);
            case "lock" -> lock(p, a);
            case "events_wait" -> EventsWait.run(api, p, a);
            default -> throw new ToolError("NO_SUCH_TOOL", "no tool " + tool, Map.of());
        };
    }

    /** The agent's unread count and task lease deadlines, for every result; an error member if it cannot. */
    Map<String, Object> you(Principal p, String agent) {
        Map<String, Object> you = new LinkedHashMap<>();
        you.put("agent", agent);
        Answer beat = api.call(p, "POST", List.of("v1", "agents", agent, "heartbeat"), Map.of(), Map.of(), null);
        if (!beat.ok()) {
            you.put(
                    "error",
                    beat.body().path("code").asString() + ": "
                            + beat.body().path("detail").asString());
            return you;
        }
        you.put("unread", beat.body().path("unread").asInt());
        Answer claimed = api.call(
                p, "GET", List.of("v1", "tasks"), Map.of("status", "CLAIMED", "limit", "10000"), Map.of(), null);
        List<Map<String, Object>> leases = new ArrayList<>();
        if (claimed.ok()) {
            for (JsonNode t : claimed.body().path("tasks")) {
                if (agent.equals(t.path("holder").asString(null))) {
                    leases.add(Map.of(
                            "taskId",
                            t.path("id").asString(),
                            "expiresAt",
                            t.path("leaseExpiresAt").asString("")));
                }
            }
        }
        you.put("leases", leases);
        return you;
    }

    private Object join(Principal p, Args a) {
        String agent = a.text("agent");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", agent);
        a.optText("role").ifPresent(r -> body.put("role", r));
        body.put("capabilities", a.strings("capabilities"));
        body.put("inbox", true);
        Answer r = api.call(p, "POST", List.of("v1", "agents"), Map.of(), Map.of(), body);
        if (r.status() == 409 && "AGENT_EXISTS".equals(code(r))) {
            // a rejoin after a restart: the record stays; make sure the inbox is open
            Answer inbox = post(p, List.of("v1", "agents", agent, "inbox"), Map.of());
            return Map.of("rejoined", true, "inbox", inbox.body());
        }
        return ok(r).body();
    }

    private Object status(Principal p) {
        JsonNode agents = ok(api.call(p, "GET", List.of("v1", "agents"), Map.of(), Map.of(), null))
                .body()
                .path("agents");
        List<Map<String, Object>> list = new ArrayList<>();
        for (JsonNode agent : agents) {
            list.add(Map.of(
                    "id", agent.path("id").asString(),
                    "role", agent.path("role").asString(""),
                    "status", agent.path("status").asString("")));
        }
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (String status : List.of("QUEUED", "CLAIMED")) {
            Answer r = api.call(
                    p, "GET", List.of("v1", "tasks"), Map.of("status", status, "limit", "10000"), Map.of(), null);
            tasks.put(
                    status.toLowerCase(java.util.Locale.ROOT),
                    ok(r).body().path("tasks").size());
        }
        return Map.of("agents", list, "tasks", tasks);
    }

    private Object submit(Principal p, Args a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", a.text("type"));
        body.put("payload", a.json("payload"));
        a.optText("id").ifPresent(id -> body.put("id", id));
        a.optNumber("priority").ifPresent(n -> body.put("priority", n));
        a.optNumber("maxAttempts").ifPresent(n -> body.put("maxAttempts", n));
        return post(p, List.of("v1", "tasks"), body).body();
    }

    private Object claim(Principal p, Args a) {
        long wait = Math.min(a.seconds("wait", 25, 0, 25), api.maxWait().toSeconds());
        Map<String, Object> body = Map.of(
                "agent", a.text("agent"),
                "types", a.strings("types"),
                "lease", a.seconds("lease", 120, 1, 86_400) + "s");
        Answer r = api.call(p, "POST", List.of("v1", "tasks", "claim"), Map.of("wait", wait + "s"), Map.of(), body);
        if (r.status() == 204) {
            return Map.of("claimed", false, "detail", "no task of these types came within " + wait + " s; call again");
        }
        return claimed(ok(r).body());
    }

    /** A lease as task_claim and task_finish's {@code next} show it. */
    private static Map<String, Object> claimed(JsonNode lease) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("claimed", true);
        out.put("taskId", lease.path("taskId").asString());
        out.put("token", lease.path("token").asLong());
        out.put("expiresAt", lease.path("expiresAt").asString());
        out.put("attempt", lease.path("attempt").asInt());
        out.put("task", lease.path("task"));
        return out;
    }

    private Object finish(Principal p, Args a) {
        String outcome = a.text("outcome");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", a.number("token"));
        String route;
        if (outcome.equals("completed")) {
            route = "complete";
            body.put("result", a.json("result"));
            body.put("fence", a.fence());
        } else if (outcome.equals("failed")) {
            route = "fail";
            body.put("reason", a.optText("reason").orElse("failed"));
            body.put("retryable", a.bool("retryable", true));
        } else {
            throw ToolError.badArgument("outcome must be completed or failed, got \"" + outcome + "\"");
        }
        List<String> nextTypes = a.strings("nextTypes");
        if (!nextTypes.isEmpty()) {
            if (!route.equals("complete")) {
                throw ToolError.badArgument(
                        "nextTypes works with outcome completed only; after a failure call" + " task_claim");
            }
            if (body.get("fence") != null) {
                throw ToolError.badArgument(
                        "nextTypes cannot go with a fence: finish the fenced task, then call" + " task_claim");
            }
            body.put(
                    "next",
                    Map.of(
                            "agent",
                            a.text("agent"),
                            "types",
                            nextTypes,
                            "lease",
                            a.seconds("nextLease", 120, 1, 86_400) + "s"));
        } else if (a.optNumber("nextLease").isPresent()) {
            throw ToolError.badArgument("nextLease needs nextTypes, the task types to claim next");
        }
        body.values().removeIf(java.util.Objects::isNull);
        JsonNode answer =
                post(p, List.of("v1", "tasks", a.text("taskId"), route), body).body();
        if (nextTypes.isEmpty()) {
            return answer;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskId", answer.path("taskId").asString());
        out.put("outcome", answer.path("outcome").asString());
        out.put(
                "next",
                answer.has("next")
                        ? claimed(answer.path("next"))
                        : Map.of("claimed", false, "detail", "no task of these types was ready; call task_claim"));
        return out;
    }

    private Object send(Principal p, Args a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", a.text("agent"));
        body.put("type", a.text("type"));
        body.put("payload", a.json("payload"));
        var to = a.optText("to");
        if (to.isEmpty()) {
            a.optText("role").ifPresent(r -> body.put("role", r));
            return post(p, List.of("v1", "messages", "broadcast"), body).body();
        }
        body.put("to", to.get());
        var waitReply = a.optNumber("waitReply");
        if (waitReply.isEmpty()) {
            return post(p, List.of("v1", "messages"), body).body();
        }
        body.put("timeout", a.seconds("waitReply", 25, 1, 25) + "s");
        return post(p, List.of("v1", "messages", "request"), body).body();
    }

    private Object inbox(Principal p, Args a) {
        String agent = a.text("agent");
        long after = a.optNumber("after").orElse(0L);
        Map<String, String> query = Map.of(
                "after", Long.toString(after),
                "wait", a.seconds("wait", 0, 0, 25) + "s",
                "max", Long.toString(a.seconds("max", 20, 1, 1000)));
        JsonNode read = ok(api.call(p, "GET", List.of("v1", "agents", agent, "inbox"), query, Map.of(), null))
                .body();
        long cursor = after;
        for (JsonNode m : read.path("messages")) {
            cursor = Math.max(cursor, m.path("seq").asLong());
        }
        return Map.of("messages", read.path("messages"), "cursor", cursor);
    }

    private Object put(Principal p, Args a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", a.json("value"));
        a.optNumber("ttl").ifPresent(t -> body.put("ttl", a.seconds("ttl", 0, 1, 365L * 86_400) + "s"));
        Map<String, Object> fence = a.fence();
        if (fence != null) {
            body.put("fence", fence);
        }
        Map<String, String> headers = a.optNumber("expectVersion")
                .map(v -> v == 0 ? Map.of("If-None-Match", "*") : Map.of("If-Match", "\"" + v + "\""))
                .orElse(Map.of());
        return ok(api.call(p, "PUT", memoryPath(a), Map.of(), headers, body)).body();
    }

    private Object lock(Principal p, Args a) {
        String action = a.text("action");
        String lock = a.text("lock");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent", a.text("agent"));
        switch (action) {
            case "acquire" -> body.put("lease", a.seconds("lease", 60, 1, 86_400) + "s");
            case "renew" -> {
                body.put("term", a.number("term"));
                body.put("lease", a.seconds("lease", 60, 1, 86_400) + "s");
            }
            case "release" -> body.put("term", a.number("term"));
            default -> throw ToolError.badArgument("action must be acquire, renew or release, got \"" + action + "\"");
        }
        String route = action.equals("acquire") ? "campaign" : action.equals("renew") ? "renew" : "resign";
        Answer r = post(p, List.of("v1", "leaders", lock, route), body);
        return r.body() == null ? Map.of("released", true, "lock", lock) : r.body();
    }

    private static List<String> memoryPath(Args a) {
        return List.of("v1", "memory", a.text("namespace"), a.text("key"));
    }

    private Answer post(Principal p, List<String> path, Object body) {
        return ok(api.call(p, "POST", path, Map.of(), Map.of(), body));
    }

    /** The answer if it succeeded, else a ToolError with its code, detail and extra members (such as current). */
    static Answer ok(Answer r) {
        if (r.ok()) {
            return r;
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        for (String member : List.of("current", "retryAfterSeconds")) {
            if (r.body() != null && r.body().has(member)) {
                extra.put(member, r.body().get(member));
            }
        }
        return fail(r, extra);
    }

    private static Answer fail(Answer r, Map<String, Object> extra) {
        throw new ToolError(
                code(r),
                r.body() == null
                        ? "HTTP " + r.status()
                        : r.body().path("detail").asString(""),
                extra);
    }

    static String code(Answer r) {
        return r.body() == null ? "HTTP_" + r.status() : r.body().path("code").asString("HTTP_" + r.status());
    }

    static Duration cap(Duration d, Duration max) {
        return d.compareTo(max) > 0 ? max : d;
    }
}
