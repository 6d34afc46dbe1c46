package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import dev.colony.server.auth.Action;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentRegistry;
import dev.colony.state.AgentStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The registry and inbox routes of an agent: register (optionally opening its inbox), heartbeat, status
 * transition, deregister, get and list; open and close the inbox, read it by cursor (long-poll,
 * at-least-once), acknowledge, stream it as SSE, and reply to a request read from it. Every route that acts
 * as an agent authorizes {@code agent.<id>}, so a token bound to an agent-id pattern acts only as those.
 *
 * <p>An agent registers with the task {@code types} it takes (each authorized as {@code task.claim.<type>}):
 * they become the hidden type capabilities of {@link TaskRoutes}, so that a coordinator's
 * {@code TaskQueue.assign} in the server's process can hand it tasks submitted over HTTP. Capabilities
 * starting with {@code _} are reserved, as in a claim.
 */
final class AgentRoutes {
    private static final int DEFAULT_INBOX = 1024;

    private final Parts parts;
    private final AgentRegistry registry;

    AgentRoutes(Parts parts) {
        this.parts = parts;
        this.registry = parts.colony().registry();
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/v1/agents", this::register),
                Route.of("GET", "/v1/agents", this::list),
                Route.of("GET", "/v1/agents/{id}", this::get),
                Route.of("DELETE", "/v1/agents/{id}", this::deregister),
                Route.of("POST", "/v1/agents/{id}/heartbeat", this::heartbeat),
                Route.of("POST", "/v1/agents/{id}/status", this::transition),
                Route.of("POST", "/v1/agents/{id}/inbox", this::openInbox),
                Route.of("DELETE", "/v1/agents/{id}/inbox", this::closeInbox),
                Route.of("GET", "/v1/agents/{id}/inbox", this::read),
                Route.of("POST", "/v1/agents/{id}/inbox/ack", this::ack),
                Route.of("GET", "/v1/agents/{id}/inbox/stream", this::stream),
                Route.of("POST", "/v1/agents/{id}/inbox/{seq}/reply", this::reply));
    }

    private Reply register(Call call) {
        Body body = call.object();
        Namespace ns = call.ns();
        String id = body.text("id");
        AgentId agent = ns.agent(id);
        call.authorize(Action.AGENT, id);
        String role = ns.token(body.optText("role").orElse("agent"), "role");
        Set<String> capabilities = new HashSet<>();
        for (String c : body.strings("capabilities", 64)) {
            capabilities.add(TaskRoutes.capability(ns, c));
        }
        for (String type : body.strings("types", 32)) {
            ns.token(type, "types[]");
            call.authorize(Action.TASK_CLAIM, type);
            capabilities.add(TaskRoutes.typeMark(ns, type));
        }
        Map<String, String> metadata = body.stringMap("metadata");
        AgentRecord record;
        try {
            record = registry.register(agent, role, capabilities, metadata);
        } catch (IllegalStateException e) {
            throw Problem.conflict("AGENT_EXISTS", "agent \"" + id + "\" is registered and live: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        if (body.bool("inbox", false)) {
            parts.inboxes().open(agent, Set.of(role), DEFAULT_INBOX);
        }
        call.audit("agent.register", id);
        return Reply.json(201, agent(ns, record));
    }

    private Reply heartbeat(Call call) {
        AgentId agent = self(call);
        if (!registry.heartbeat(agent)) {
            throw noSuchAgent(call);
        }
        return Reply.ok(Json.obj(
                "agent", call.path("id"),
                "unread", parts.inboxes().get(agent).map(HttpInbox::unread).orElse(0)));
    }

    private Reply transition(Call call) {
        AgentId agent = self(call);
        String name = call.object().text("status");
        AgentStatus status;
        try {
            status = AgentStatus.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(
                    "status must be one of " + Arrays.toString(AgentStatus.values()) + ", got \"" + name + "\"");
        }
        AgentRecord record;
        try {
            record = registry.transition(agent, status);
        } catch (IllegalStateException e) {
            throw Problem.conflict("ILLEGAL_TRANSITION", e.getMessage());
        } catch (java.util.NoSuchElementException e) {
            throw noSuchAgent(call);
        }
        call.audit("agent.status", call.path("id"));
        return Reply.ok(agent(call.ns(), record));
    }

    private Reply deregister(Call call) {
        AgentId agent = self(call);
        parts.inboxes().close(agent);
        if (!registry.deregister(agent)) {
            throw noSuchAgent(call);
        }
        call.audit("agent.deregister", call.path("id"));
        return Reply.noContent();
    }

    private Reply get(Call call) {
        AgentId agent = call.ns().agent(call.path("id"));
        return Reply.ok(agent(call.ns(), registry.get(agent).orElseThrow(() -> noSuchAgent(call))));
    }

    private Reply list(Call call) {
        Namespace ns = call.ns();
        String prefix = ns.account() + "_";
        String role = call.query("role").map(r -> ns.token(r, "role")).orElse(null);
        String status =
                call.query("status").map(s -> s.toUpperCase(Locale.ROOT)).orElse(null);
        List<Map<String, Object>> out = registry
                .select(r -> r.id().value().startsWith(prefix)
                        && (role == null || r.role().equals(role))
                        && (status == null || r.status().name().equals(status)))
                .stream()
                .map(r -> agent(ns, r))
                .toList();
        return Reply.ok(Json.obj("agents", out));
    }

    private Reply openInbox(Call call) {
        AgentId agent = self(call);
        Body body = call.object();
        Set<String> roles = new HashSet<>();
        for (String role : body.strings("roles", 16)) {
            roles.add(call.ns().token(role, "role"));
        }
        HttpInbox inbox =
                parts.inboxes().open(agent, roles, body.integer("capacity", DEFAULT_INBOX, 1, Inboxes.MAX_CAPACITY));
        return Reply.ok(Json.obj("agent", call.path("id"), "unread", inbox.unread()));
    }

    private Reply closeInbox(Call call) {
        AgentId agent = self(call);
        if (!parts.inboxes().close(agent)) {
            throw noInbox(call);
        }
        return Reply.noContent();
    }

    private Reply read(Call call) {
        HttpInbox inbox = inbox(call);
        long after = call.query("after").map(a -> cursor("after", a)).orElse(0L);
        int max = call.integer("max", 1, 1000).orElse(100);
        Duration wait = call.duration("wait").orElse(Duration.ZERO);
        if (wait.compareTo(parts.limits().maxWait()) > 0) {
            wait = parts.limits().maxWait();
        }
        List<HttpInbox.Numbered> messages;
        try {
            messages = inbox.read(after, max, wait.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "CLOSED", "the server is stopping");
        }
        Namespace ns = call.ns();
        return Reply.ok(Json.obj(
                "messages",
                        messages.stream()
                                .map(n -> Json.obj("seq", n.seq(), "message", MessageRoutes.envelope(ns, n.message())))
                                .toList(),
                "unread", inbox.unread()));
    }

    private Reply ack(Call call) {
        HttpInbox inbox = inbox(call);
        Body body = call.object();
        long upTo = body.longValue("upTo");
        inbox.ack(upTo);
        return Reply.ok(Json.obj("unread", inbox.unread()));
    }

    private Reply stream(Call call) {
        HttpInbox inbox = inbox(call);
        String last = call.header("Last-Event-ID");
        long after = last == null ? 0 : cursor("Last-Event-ID", last);
        Namespace ns = call.ns();
        inbox.ack(after);
        return Reply.events(out -> {
            try (SseStream stream = new SseStream(out, 1)) {
                long cursor = after;
                while (!inbox.isClosed()) {
                    var next = inbox.next(cursor, TimeUnit.SECONDS.toNanos(15));
                    if (next.isEmpty()) {
                        stream.write(null, "keepalive", Json.write(Json.obj("unread", inbox.unread())));
                        continue;
                    }
                    cursor = next.get().seq();
                    stream.write(
                            Long.toString(cursor),
                            "message",
                            Json.write(MessageRoutes.envelope(ns, next.get().message())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        });
    }

    private Reply reply(Call call) {
        HttpInbox inbox = inbox(call);
        long seq = cursor("seq", call.path("seq"));
        Envelope request = inbox.held(seq)
                .orElseThrow(() -> Problem.notFound(
                        "NO_SUCH_MESSAGE",
                        "message " + seq + " is not held (acknowledged already, or never received)"));
        Body body = call.object();
        String type = body.optText("type").orElse(request.type() + ".reply");
        SendOutcome outcome = parts.colony().messenger().reply(request, type, body.required("payload"));
        if (!outcome.delivered()) {
            throw MessageRoutes.undelivered(outcome, call.ns().local(request.source()));
        }
        return Reply.ok(Json.obj("outcome", outcome.name()));
    }

    /** The stored id of the path's agent, after authorizing the caller to act as it. */
    private static AgentId self(Call call) {
        String id = call.path("id");
        AgentId agent = call.ns().agent(id);
        call.authorize(Action.AGENT, id);
        return agent;
    }

    private HttpInbox inbox(Call call) {
        return parts.inboxes().get(self(call)).orElseThrow(() -> noInbox(call));
    }

    private static long cursor(String name, String value) {
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw Problem.badRequest(name + " must be a message number (0 or more), got \"" + value + "\"");
        }
    }

    private static Problem noSuchAgent(Call call) {
        return Problem.notFound("NO_SUCH_AGENT", "no agent \"" + call.path("id") + "\"");
    }

    private static Problem noInbox(Call call) {
        return Problem.notFound(
                "NO_SUCH_AGENT",
                "agent \"" + call.path("id") + "\" has no open inbox here (POST /v1/agents/" + call.path("id")
                        + "/inbox opens it)");
    }

    static Map<String, Object> agent(Namespace ns, AgentRecord r) {
        List<String> capabilities =
                r.capabilities().stream().map(ns::local).sorted().toList();
        return Json.obj(
                "id", ns.local(r.id()),
                "role", ns.local(r.role()),
                "capabilities",
                        capabilities.stream()
                                .filter(c -> !TaskRoutes.isTypeMark(c))
                                .toList(),
                "types",
                        capabilities.stream()
                                .filter(TaskRoutes::isTypeMark)
                                .map(TaskRoutes::typeOfMark)
                                .toList(),
                "metadata", r.metadata(),
                "status", r.status().name(),
                "registeredAt", r.registeredAt(),
                "lastHeartbeat", r.lastHeartbeat());
    }
}
