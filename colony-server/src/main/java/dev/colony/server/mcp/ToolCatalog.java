package dev.colony.server.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The twelve tools' names, descriptions and input schemas, written for a model choosing among them: each says
 * when to use it and what comes back. Every tool but {@code colony_join} takes {@code agent}, the id joined with.
 */
final class ToolCatalog {
    private ToolCatalog() {}

    static final String AGENT_NOTE =
            " Every result also carries you: your unread message count and your task" + " lease deadlines.";

    static List<McpSchema.Tool> tools() {
        List<McpSchema.Tool> tools = new ArrayList<>();
        tools.add(tool(
                "colony_join",
                "Join the swarm as an agent: call this once first, with a stable id of your own. Registers you,"
                        + " opens your inbox, and returns your agent record. Calling it again with the same id"
                        + " rejoins (after a restart). Pass this id as 'agent' to every other tool; each call"
                        + " keeps you alive.",
                props(
                        "agent",
                        str("your agent id: letters, digits, - and _"),
                        "role",
                        str("your role, such as worker or reviewer (broadcasts can target a role)"),
                        "capabilities",
                        strs("what you can do; tasks that require capabilities go to agents having them")),
                "agent"));
        tools.add(tool(
                "swarm_status",
                "See the swarm: the agents (id, role, status) and how many tasks are queued and claimed. Use it to"
                        + " decide whether to wait, help, or coordinate." + AGENT_NOTE,
                props("agent", AGENT),
                "agent"));
        tools.add(tool(
                "task_submit",
                "Put a task on the shared queue for any agent to claim. Give an id to make it idempotent (the same"
                        + " submit again is a no-op). Returns the task.",
                props(
                        "agent",
                        AGENT,
                        "type",
                        str("the task type claimers ask for, such as review"),
                        "payload",
                        any("what the claimer needs to do the work (any JSON)"),
                        "id",
                        str("optional task id; a resubmit with the same id and content does nothing"),
                        "priority",
                        num("optional, higher first; default 0"),
                        "maxAttempts",
                        num("optional; a failed task is retried until this many attempts")),
                "agent",
                "type",
                "payload"));
        tools.add(tool(
                "task_claim",
                "Take the next task of the given types, waiting up to 'wait' seconds (at most 25) for one."
                        + " Returns {claimed:true, taskId, token, expiresAt, task} or {claimed:false} when none"
                        + " came: call again. Keep the token: task_progress and task_finish need it. If the lease"
                        + " expires first, the task goes to another agent." + AGENT_NOTE,
                props(
                        "agent",
                        AGENT,
                        "types",
                        strs("task types to take, such as [\"review\"]"),
                        "wait",
                        num("seconds to wait for a task, 0-25; default 25"),
                        "lease",
                        num("seconds the task is yours before it is given to someone else; default 120")),
                "agent",
                "types"));
        tools.add(tool(
                "task_progress",
                "Report that you are still working on a claimed task: extends its lease by 'extend' seconds so it"
                        + " is not given to another agent. Call it well before expiresAt on long work. Fails with"
                        + " STALE_LEASE if the lease already expired (stop: someone else has the task).",
                props(
                        "agent",
                        AGENT,
                        "taskId",
                        str("the claimed task"),
                        "token",
                        num("the claim's token"),
                        "extend",
                        num("seconds from now; default 120")),
                "agent",
                "taskId",
                "token"));
        tools.add(tool(
                "task_finish",
                "Finish a claimed task: outcome completed (with an optional result) or failed (with a reason; it"
                        + " is retried unless retryable is false). A task is never completed twice: a stale token"
                        + " gets STALE_LEASE, a finished task NOT_CLAIMED. With a fence, refused (STALE_TERM) once"
                        + " you no longer hold that lock. With nextTypes (outcome completed, no fence), the same"
                        + " call also claims your next task: returns {taskId, outcome, next} where outcome is OK,"
                        + " STALE_LEASE or NOT_CLAIMED and next is a task_claim answer (it never waits).",
                props(
                        "agent",
                        AGENT,
                        "taskId",
                        str("the claimed task"),
                        "token",
                        num("the claim's token"),
                        "outcome",
                        enumOf("completed", "failed"),
                        "result",
                        any("the result (any JSON)"),
                        "reason",
                        str("why it failed"),
                        "retryable",
                        bool("default true"),
                        "fence",
                        FENCE,
                        "nextTypes",
                        strs("optional: task types to claim next in the same call"),
                        "nextLease",
                        num("seconds the next task is yours; default 120")),
                "agent",
                "taskId",
                "token",
                "outcome"));
        tools.add(tool(
                "message_send",
                "Message other agents. With 'to': one agent's inbox. With 'to' and 'waitReply' (seconds, at most"
                        + " 25): a request; returns the reply. Without 'to': a broadcast to every agent, or to one"
                        + " 'role'. Fails with NO_SUCH_AGENT or MAILBOX_FULL (retry later).",
                props(
                        "agent",
                        AGENT,
                        "to",
                        str("the recipient agent id"),
                        "role",
                        str("broadcast to this role"),
                        "type",
                        str("what the message is, such as question or done"),
                        "payload",
                        any("the message body (any JSON)"),
                        "waitReply",
                        num("seconds to wait for a reply, 1-25 (a request)")),
                "agent",
                "type",
                "payload"));
        tools.add(tool(
                "inbox_read",
                "Read your messages, waiting up to 'wait' seconds (at most 25) when there are none. Delivery is at"
                        + " least once: pass the returned 'cursor' as 'after' next time to acknowledge what you"
                        + " processed; unacknowledged messages come again. Returns {messages:[{seq, message}], cursor}.",
                props(
                        "agent",
                        AGENT,
                        "after",
                        num("acknowledge messages up to this cursor; default 0"),
                        "wait",
                        num("seconds to wait, 0-25; default 0"),
                        "max",
                        num("at most this many; default 20")),
                "agent"));
        tools.add(tool(
                "memory_get",
                "Read a shared memory entry: returns {value, version, expiresAt}; NO_SUCH_KEY if absent. Use the"
                        + " version with memory_put to update without losing another agent's write.",
                props(
                        "agent",
                        AGENT,
                        "namespace",
                        str("such as notes"),
                        "key",
                        str("dot-separated, such as plan.step1")),
                "agent",
                "namespace",
                "key"));
        tools.add(tool(
                "memory_put",
                "Write a shared memory entry. Safe concurrent update: pass expectVersion from memory_get (0: create"
                        + " only); if someone wrote first you get CAS_CONFLICT with the current entry: merge and"
                        + " retry. Optional ttl (seconds) and fence (refused once you lost that lock). Returns the"
                        + " entry with its new version.",
                props(
                        "agent",
                        AGENT,
                        "namespace",
                        str("such as notes"),
                        "key",
                        str("dot-separated"),
                        "value",
                        any("the value (any JSON)"),
                        "expectVersion",
                        num("the version you read; 0: must not exist"),
                        "ttl",
                        num("seconds until it expires"),
                        "fence",
                        FENCE),
                "agent",
                "namespace",
                "key",
                "value"));
        tools.add(tool(
                "lock",
                "A named lock for exclusive work. acquire: returns {holder, term, expiresAt} or NOT_LEADER with the"
                        + " current holder; the term fences your writes (pass {lock, term} as 'fence'). renew before"
                        + " expiresAt; release when done. STALE_TERM: you lost it.",
                props(
                        "agent",
                        AGENT,
                        "action",
                        enumOf("acquire", "renew", "release"),
                        "lock",
                        str("the lock name"),
                        "term",
                        num("the term acquire gave (renew, release)"),
                        "lease",
                        num("seconds; default 60")),
                "agent",
                "action",
                "lock"));
        tools.add(tool(
                "events_wait",
                "Wait up to 'wait' seconds (at most 25) for events on subjects matching a pattern (* one token, >"
                        + " the rest, such as task.>). Pass the returned cursor next time to get only what came"
                        + " after; reset:true means events were missed: re-read the state you need.",
                props(
                        "agent",
                        AGENT,
                        "pattern",
                        str("subject pattern, such as build.>"),
                        "cursor",
                        str("from the last events_wait"),
                        "wait",
                        num("seconds, 0-25; default 25"),
                        "max",
                        num("at most this many events; default 50")),
                "agent",
                "pattern"));
        return tools;
    }

    private static final Map<String, Object> AGENT = str("your id from colony_join");
    private static final Map<String, Object> FENCE = Map.of(
            "type",
            "object",
            "description",
            "{lock, term}: refuse the write unless you still hold this lock",
            "properties",
            Map.of("lock", Map.of("type", "string"), "term", Map.of("type", "integer")));

    private static McpSchema.Tool tool(String name, String description, Map<String, Object> props, String... required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        schema.put("required", List.of(required));
        return McpSchema.Tool.builder(name, schema).description(description).build();
    }

    private static Map<String, Object> props(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> str(String description) {
        return Map.of("type", "string", "description", description);
    }

    private static Map<String, Object> strs(String description) {
        return Map.of("type", "array", "items", Map.of("type", "string"), "description", description);
    }

    private static Map<String, Object> num(String description) {
        return Map.of("type", "integer", "description", description);
    }

    private static Map<String, Object> bool(String description) {
        return Map.of("type", "boolean", "description", description);
    }

    private static Map<String, Object> any(String description) {
        return Map.of("description", description);
    }

    private static Map<String, Object> enumOf(String... values) {
        return Map.of("type", "string", "enum", List.of(values));
    }
}
