package dev.colony.server;

import dev.colony.state.Handoff;
import dev.colony.state.Lease;
import dev.colony.state.Task;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The claim and complete answers (and a completion's with its next claim) written with a streaming generator straight to bytes (ADR 0059): the same
 * JSON, member for member and in the same order, as {@link TaskRoutes#task} put in {@link Json#obj} maps,
 * without building the maps. These two answers run on every task cycle; the other task answers keep the maps.
 */
final class TaskJson {
    private TaskJson() {}

    /** The answer of a claim: the lease, with the claimed task. */
    static byte[] lease(Namespace ns, Lease lease) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            lease(g, ns, lease);
        }
        return out.toByteArray();
    }

    /**
     * The answer of a completion with {@code next} (ADR 0066): the completed task's id, the completion's outcome,
     * and the next lease as a claim answers it, left out when nothing was claimable. The completed task is not in
     * it (the worker knows it, and reading it back would cost the queue a second call).
     */
    static byte[] handoff(Namespace ns, String taskId, Handoff handoff) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("taskId", taskId);
            g.writeStringProperty("outcome", handoff.outcome().name());
            if (handoff.next().isPresent()) {
                g.writeName("next");
                lease(g, ns, handoff.next().get());
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void lease(JsonGenerator g, Namespace ns, Lease lease) {
        g.writeStartObject();
        g.writeStringProperty("taskId", ns.local(lease.taskId()));
        string(g, "agent", ns.local(lease.holder()));
        g.writeNumberProperty("token", lease.token());
        instant(g, "expiresAt", lease.expiresAt());
        g.writeNumberProperty("attempt", lease.attempt());
        g.writeName("task");
        task(g, ns, lease.task());
        g.writeEndObject();
    }

    /** The answer of a renew, complete or fail that succeeded: the task, left out if it is gone (purged). */
    static byte[] ok(Namespace ns, Task task) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("outcome", "OK");
            if (task != null) {
                g.writeName("task");
                task(g, ns, task);
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void task(JsonGenerator g, Namespace ns, Task t) {
        g.writeStartObject();
        g.writeStringProperty("id", ns.local(t.spec().id()));
        g.writeStringProperty("type", ns.local(t.spec().type()));
        g.writeStringProperty("status", t.status().name());
        g.writeNumberProperty("priority", t.spec().priority());
        g.writeNumberProperty("maxAttempts", t.spec().maxAttempts());
        g.writeNumberProperty("attempts", t.attempts());
        g.writeArrayPropertyStart("requiredCapabilities");
        for (String capability : capabilities(ns, t)) {
            g.writeString(capability);
        }
        g.writeEndArray();
        tree(g, "payload", Json.fromStored(t.spec().payload()));
        string(g, "holder", ns.local(t.holder()));
        instant(g, "leaseExpiresAt", t.leaseExpiresAt());
        instant(g, "notBefore", t.notBefore());
        tree(g, "result", t.result() == null || t.result().length == 0 ? null : Json.fromStored(t.result()));
        string(g, "lastError", t.lastError());
        instant(g, "submittedAt", t.submittedAt());
        g.writeEndObject();
    }

    /** The task's required capabilities in the client's names, sorted, without the hidden type marks. */
    static List<String> capabilities(Namespace ns, Task t) {
        List<String> capabilities =
                new ArrayList<>(t.spec().requiredCapabilities().size());
        for (String stored : t.spec().requiredCapabilities()) {
            String c = ns.local(stored);
            if (!TaskRoutes.isTypeMark(c)) {
                capabilities.add(c);
            }
        }
        capabilities.sort(null);
        return capabilities;
    }

    // null members are left out, as Json.obj does

    private static void string(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.writeStringProperty(name, value);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) {
        if (value != null) {
            g.writeStringProperty(name, value.toString());
        }
    }

    private static void tree(JsonGenerator g, String name, JsonNode value) {
        if (value != null) {
            g.writeName(name);
            g.writeTree(value);
        }
    }
}
