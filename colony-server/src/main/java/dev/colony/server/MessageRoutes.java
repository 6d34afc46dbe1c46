package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Audience;
import dev.colony.messaging.BroadcastResult;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.ReplyException;
import dev.colony.messaging.SendOutcome;
import dev.colony.server.auth.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The messenger routes: send, request (waits for the reply, at most the long-poll cap), broadcast by role
 * or to the whole account, and the account's dead letters. Reading an inbox is under {@link AgentRoutes}.
 */
final class MessageRoutes {
    private final Parts parts;
    private final Messenger messenger;

    MessageRoutes(Parts parts) {
        this.parts = parts;
        this.messenger = parts.colony().messenger();
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/v1/messages", this::send),
                Route.of("POST", "/v1/messages/request", this::request),
                Route.of("POST", "/v1/messages/broadcast", this::broadcast),
                Route.of("GET", "/v1/messages/dead-letters", this::deadLetters));
    }

    private Reply send(Call call) {
        Body body = call.object();
        Envelope message = envelope(call, body, true);
        SendOutcome outcome = messenger.send(message);
        if (!outcome.delivered()) {
            throw undelivered(outcome, body.text("to"));
        }
        call.audit("message.send", body.text("to"));
        return Reply.ok(Json.obj("outcome", outcome.name(), "id", message.id()));
    }

    private Reply request(Call call) {
        Body body = call.object();
        Envelope message = envelope(call, body, true);
        Duration timeout = body.duration("timeout").orElse(Duration.ofSeconds(10));
        if (timeout.isZero() || timeout.compareTo(parts.limits().maxWait()) > 0) {
            throw Problem.badRequest(
                    "timeout must be from 1ms to " + parts.limits().maxWait() + ", got " + timeout);
        }
        Envelope reply;
        try {
            reply = messenger
                    .request(message, timeout)
                    .get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof ReplyException failure) {
                throw replyFailure(failure, body.text("to"));
            }
            throw new Problem(502, "RECIPIENT_FAILURE", "the request failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new Problem(504, "TIMEOUT", "no reply from \"" + body.text("to") + "\" within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "CLOSED", "the server is stopping");
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        call.audit("message.request", body.text("to"));
        return Reply.ok(Json.obj("reply", envelope(call.ns(), reply)));
    }

    private Reply broadcast(Call call) {
        Body body = call.object();
        Namespace ns = call.ns();
        String from = body.text("from");
        AgentId source = ns.agent(from);
        call.authorize(Action.AGENT, from);
        Audience audience;
        String resource;
        if (body.optText("role").isPresent()) {
            String role = body.text("role");
            audience = Audience.role(ns.token(role, "role"));
            resource = "role." + role;
        } else {
            audience = Audience.idsMatching(Pattern.quote(ns.account() + "_") + ".*");
            resource = "all";
        }
        call.authorize(Action.INBOX_SEND, resource);
        Envelope message = Envelope.of(source, null, type(body), body.required("payload"));
        BroadcastResult result = messenger.broadcast(audience, message, body.bool("includeSender", false));
        call.audit("message.broadcast", resource);
        return Reply.ok(Json.obj("matched", result.matched(), "delivered", result.delivered()));
    }

    private Reply deadLetters(Call call) {
        Namespace ns = call.ns();
        call.authorize(Action.ADMIN, "dead-letters");
        String prefix = ns.account() + "_";
        List<Map<String, Object>> out = messenger.deadLetters().peekAll().stream()
                .filter(d -> d.recipient() != null && d.recipient().value().startsWith(prefix))
                .map(d -> deadLetter(ns, d))
                .toList();
        return Reply.ok(Json.obj("deadLetters", out));
    }

    private Envelope envelope(Call call, Body body, boolean direct) {
        Namespace ns = call.ns();
        String from = body.text("from");
        String to = body.text("to");
        AgentId source = ns.agent(from);
        AgentId recipient = ns.agent(to);
        call.authorize(Action.AGENT, from);
        call.authorize(Action.INBOX_SEND, to);
        try {
            Envelope message = Envelope.of(source, direct ? recipient : null, type(body), body.required("payload"))
                    .withPriority(body.integer("priority", 4, 0, 9))
                    .withHeaders(body.stringMap("headers"));
            if (body.optText("correlationId").isPresent()) {
                message = message.withCorrelationId(body.text("correlationId"));
            }
            if (body.duration("ttl").isPresent()) {
                message = message.withDeadline(
                        Instant.now().plus(body.duration("ttl").get()));
            }
            return message;
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    private static String type(Body body) {
        String type = body.text("type");
        if (type.isBlank() || type.length() > 256) {
            throw Problem.badRequest("member type must be 1 to 256 characters, got \"" + type + "\"");
        }
        return type;
    }

    static Problem undelivered(SendOutcome outcome, String to) {
        return switch (outcome) {
            case NO_SUCH_AGENT -> Problem.notFound("NO_SUCH_AGENT", "agent \"" + to + "\" has no open inbox");
            case MAILBOX_FULL ->
                new Problem(
                        503,
                        "MAILBOX_FULL",
                        "the inbox of \"" + to + "\" is full; retry later",
                        Map.of("retryAfterSeconds", 1L));
            case EXPIRED -> Problem.conflict("EXPIRED", "the message expired before delivery");
            case REJECTED -> Problem.conflict("REJECTED", "the inbox of \"" + to + "\" rejected the message");
            case DELIVERED -> throw new IllegalArgumentException("delivered is not a failure");
        };
    }

    private static Problem replyFailure(ReplyException e, String to) {
        return switch (e.failure()) {
            case TIMEOUT -> new Problem(504, "TIMEOUT", "no reply from \"" + to + "\" in time");
            case NO_RECIPIENT -> Problem.notFound("NO_RECIPIENT", "agent \"" + to + "\" has no open inbox");
            case RECIPIENT_FAILURE ->
                new Problem(502, "RECIPIENT_FAILURE", "the handler of \"" + to + "\" failed: " + e.getMessage());
            case UNDELIVERED ->
                Problem.conflict("UNDELIVERED", "the request to \"" + to + "\" was not handled: " + e.getMessage());
            case CLOSED -> new Problem(503, "CLOSED", "the messenger is closed");
        };
    }

    static Map<String, Object> envelope(Namespace ns, Envelope e) {
        return Json.obj(
                "id", e.id(),
                "from", ns.local(e.source()),
                "to", ns.local(e.recipient()),
                "type", e.type(),
                "correlationId", e.correlationId(),
                "replyTo", ns.local(e.replyTo()),
                "time", e.time(),
                "deadline", e.deadline(),
                "priority", e.priority(),
                "headers", e.headers().isEmpty() ? null : e.headers(),
                "payload", Json.fromPayload(e.payload()));
    }

    private static Map<String, Object> deadLetter(Namespace ns, DeadLetter d) {
        return Json.obj(
                "recipient", ns.local(d.recipient()),
                "reason", d.reason().name(),
                "detail", d.detail(),
                "time", d.time(),
                "message", d.envelope() == null ? null : envelope(ns, d.envelope()));
    }
}
