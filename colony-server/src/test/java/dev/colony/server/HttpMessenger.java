package dev.colony.server;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Audience;
import dev.colony.messaging.BroadcastResult;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.DeadLetters;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.MessageCodec;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerMetrics;
import dev.colony.messaging.ReplyException;
import dev.colony.messaging.ReplyFailure;
import dev.colony.messaging.SendOutcome;
import dev.colony.metrics.LatencySnapshot;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A {@link Messenger} whose every message crosses a server over {@code /v1}: send is {@code POST /v1/messages},
 * request {@code POST /v1/messages/request} (on a virtual thread: the route waits for the reply), broadcast
 * {@code POST /v1/messages/broadcast}, and an inbox is {@code POST /v1/agents/{id}/inbox} read by a long-poll
 * loop that runs the handler ({@link HttpMessengerInbox}). Dead letters are the server's ({@code GET
 * /v1/messages/dead-letters}) and those the client side makes (a handler that threw, a payload that does not
 * decode into the inbox's type or does not encode); see {@link HttpDeadLetters}.
 *
 * <p>Each messenger owns a server over a colony of its own (built with the contract's messenger settings), so
 * the dead letters and the broadcast audience are this messenger's only. Counters are counted here, as a
 * client sees them. Request timeouts are capped at the server's long-poll cap (25 s).
 */
final class HttpMessenger implements Messenger {
    static final Duration MAX_WAIT = Duration.ofSeconds(25);

    final Http http;
    final Settings settings;
    private final Colony colony;
    private final ColonyServer server;
    private final HttpClient client = Http.newClient();
    private final Map<AgentId, HttpMessengerInbox> inboxes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Envelope>> pending = new ConcurrentHashMap<>();
    final HttpDeadLetters deadLetters;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong timedOut = new AtomicLong();
    final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong marshalled = new AtomicLong();
    final AtomicLong unmarshalled = new AtomicLong();
    private final AtomicLong roundTrips = new AtomicLong();
    private volatile boolean closed;

    HttpMessenger(Colony.Builder colonyBuilder, Messenger.Builder builder) {
        this.settings = builder.settings();
        this.colony = colonyBuilder.messenger(builder).build();
        this.server = ColonyServer.builder()
                .port(0)
                .colony(colony)
                .guard(new TestGuard())
                .build()
                .start();
        this.http = new Http(client, server.uri(), "admin");
        this.deadLetters = new HttpDeadLetters(http, settings.deadLetterCapacity());
    }

    @Override
    public Inbox open(AgentId id, InboxOptions options) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(options, "options");
        checkOpen();
        HttpMessengerInbox inbox = new HttpMessengerInbox(this, id, options);
        if (inboxes.putIfAbsent(id, inbox) != null) {
            throw new IllegalStateException("agent \"" + id.value() + "\" already has an open inbox");
        }
        try {
            HttpWire.expect(
                    http.post(
                            path(id) + "/inbox",
                            HttpWire.json("roles", options.roles(), "capacity", options.capacity())),
                    200);
        } catch (RuntimeException e) {
            inboxes.remove(id);
            throw e;
        }
        return inbox;
    }

    void forget(HttpMessengerInbox inbox) {
        inboxes.remove(inbox.id(), inbox);
    }

    @Override
    public SendOutcome send(Envelope message) {
        Objects.requireNonNull(message, "message");
        if (message.recipient() == null) {
            throw new IllegalArgumentException("the message has no recipient; use broadcast");
        }
        if (closed) {
            return SendOutcome.REJECTED;
        }
        sent.incrementAndGet();
        JsonNode payload = encode(message);
        if (payload == null) {
            return SendOutcome.REJECTED;
        }
        return outcome(http.post("/v1/messages", body(message, message.recipient(), payload)));
    }

    /** The payload as JSON, or null (and an UNENCODABLE dead letter) when it has none. */
    private JsonNode encode(Envelope message) {
        try {
            return Json.MAPPER.valueToTree(message.payload());
        } catch (JacksonException | StackOverflowError e) {
            deadLetters.local(new DeadLetter(
                    message,
                    null,
                    message.recipient(),
                    DeadLetter.Reason.UNENCODABLE,
                    "the payload does not encode as JSON: " + e,
                    Instant.now()));
            return null;
        } finally {
            marshalled.incrementAndGet();
        }
    }

    private static String body(Envelope message, AgentId to, JsonNode payload, Object... more) {
        Duration ttl = message.deadline() == null ? null : Duration.between(Instant.now(), message.deadline());
        return HttpWire.json(
                more.length == 0 ? "timeout" : more[0],
                more.length == 0 ? null : more[1],
                "from",
                message.source().value(),
                "to",
                to == null ? null : to.value(),
                "type",
                message.type(),
                "payload",
                payload,
                "priority",
                message.priority(),
                "headers",
                message.headers().isEmpty() ? null : message.headers(),
                "correlationId",
                message.correlationId(),
                "ttl",
                HttpWire.duration(ttl));
    }

    /** A send's answer as the outcome the Java API returns. */
    static SendOutcome outcome(Http.Res res) {
        return switch (res.status()) {
            case 200 -> SendOutcome.DELIVERED;
            case 404 -> SendOutcome.NO_SUCH_AGENT;
            case 503 -> SendOutcome.MAILBOX_FULL;
            case 409 -> SendOutcome.valueOf(res.code());
            default -> throw HttpWire.failure(res);
        };
    }

    @Override
    public CompletableFuture<Envelope> request(Envelope message, Duration timeout) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        if (message.recipient() == null) {
            throw new IllegalArgumentException("the request has no recipient");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new ReplyException(ReplyFailure.CLOSED, "the messenger is closed"));
        }
        String correlation = message.correlationId() == null ? message.id() : message.correlationId();
        CompletableFuture<Envelope> reply = new CompletableFuture<>();
        if (pending.putIfAbsent(correlation, reply) != null) {
            throw new IllegalArgumentException("correlation id \"" + correlation + "\" belongs to a waiting request");
        }
        sent.incrementAndGet();
        Duration capped = timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
        JsonNode payload = encode(message);
        if (payload == null) {
            pending.remove(correlation);
            return CompletableFuture.failedFuture(new ReplyException(ReplyFailure.UNDELIVERED, "unencodable"));
        }
        String json = body(
                message.withCorrelationId(correlation), message.recipient(), payload, "timeout", capped.toString());
        Thread.ofVirtual().start(() -> {
            try {
                Http.Res res = http.post("/v1/messages/request", json);
                if (res.status() == 200) {
                    Envelope answer = HttpMessengerInbox.envelope(res.json().path("reply"), null);
                    if (reply.complete(answer)) {
                        roundTrips.incrementAndGet();
                        delivered.incrementAndGet();
                    }
                } else {
                    ReplyFailure failure = failure(res);
                    if (reply.completeExceptionally(new ReplyException(
                                    failure, res.json().path("detail").asString()))
                            && failure == ReplyFailure.TIMEOUT) {
                        timedOut.incrementAndGet();
                    }
                }
            } catch (RuntimeException e) {
                reply.completeExceptionally(new ReplyException(ReplyFailure.UNDELIVERED, e.toString()));
            } finally {
                pending.remove(correlation, reply);
            }
        });
        return reply;
    }

    private static ReplyFailure failure(Http.Res res) {
        return switch (res.status()) {
            case 504 -> ReplyFailure.TIMEOUT;
            case 404 -> ReplyFailure.NO_RECIPIENT;
            case 502 -> ReplyFailure.RECIPIENT_FAILURE;
            case 503 -> ReplyFailure.CLOSED;
            case 400 -> throw HttpWire.failure(res);
            default -> ReplyFailure.UNDELIVERED;
        };
    }

    @Override
    public SendOutcome reply(Envelope request, String type, Object payload) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (request.correlationId() == null) {
            throw new IllegalArgumentException("the request has no correlation id");
        }
        if (request.recipient() == null) {
            throw new IllegalArgumentException("the request has no recipient");
        }
        if (closed) {
            return SendOutcome.REJECTED;
        }
        sent.incrementAndGet();
        HttpMessengerInbox inbox = inboxes.get(request.recipient());
        long seq = inbox == null ? -1 : inbox.heldSeq(request.id());
        if (seq > 0) {
            // the request is still held by the server: its reply route completes a waiting request
            Http.Res res = http.post(
                    path(request.recipient()) + "/inbox/" + seq + "/reply",
                    HttpWire.json("type", type, "payload", Json.MAPPER.valueToTree(payload)));
            if (res.status() != 404 || !"NO_SUCH_MESSAGE".equals(res.code())) {
                return outcome(res);
            }
            // acknowledged meanwhile (the handler returned): sent as a message with the correlation id below
        }
        AgentId to = request.replyTo() != null ? request.replyTo() : request.source();
        Envelope reply = Envelope.of(request.recipient(), to, type, payload).withCorrelationId(request.correlationId());
        return outcome(http.post("/v1/messages", body(reply, to, Json.MAPPER.valueToTree(payload))));
    }

    @Override
    public BroadcastResult broadcast(Audience audience, Envelope message, boolean includeSender) {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(message, "message");
        checkOpen();
        String role = switch (audience) {
            case Audience.Role r -> r.role();
            case Audience.Everyone e -> null;
            default ->
                throw new UnsupportedOperationException(
                        "POST /v1/messages/broadcast takes a role or the whole account, not " + audience);
        };
        JsonNode answer = HttpWire.expect(
                http.post(
                        "/v1/messages/broadcast",
                        HttpWire.json(
                                "from", message.source().value(),
                                "role", role,
                                "type", message.type(),
                                "payload", Json.MAPPER.valueToTree(message.payload()),
                                "includeSender", includeSender)),
                200);
        BroadcastResult result = new BroadcastResult(
                answer.path("matched").asInt(), answer.path("delivered").asInt());
        sent.addAndGet(result.matched());
        return result;
    }

    /** No route takes encoded bytes: a client posts JSON to {@code /v1/messages} (see the counterparts). */
    @Override
    public SendOutcome deliverEncoded(AgentId recipient, byte[] message) {
        throw new UnsupportedOperationException("no route takes a message encoded with the messenger's codec");
    }

    @Override
    public OptionalInt inboxSize(AgentId agent) {
        Objects.requireNonNull(agent, "agent");
        HttpMessengerInbox inbox = inboxes.get(agent);
        return inbox == null || inbox.isClosed() ? OptionalInt.empty() : OptionalInt.of(inbox.size());
    }

    @Override
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /**
     * No route records a dead letter for a client: the server records those of its own HTTP inboxes when one
     * closes with messages its reader did not acknowledge (ADR 0054).
     */
    @Override
    public void deadLetter(Envelope message, AgentId recipient, DeadLetter.Reason reason, String detail) {
        throw new UnsupportedOperationException(
                "no route records a dead letter: the server records those of its HTTP inboxes when one closes");
    }

    @Override
    public MessengerMetrics metrics() {
        long dead = deadLetters.total();
        return new MessengerMetrics(
                sent.get(),
                delivered.get(),
                failed.get(),
                timedOut.get(),
                dead,
                abandoned.get(),
                pending.size(),
                counted(marshalled.get()),
                counted(unmarshalled.get()),
                counted(roundTrips.get()));
    }

    /** A count without latencies: the client counts, it does not time. */
    private static LatencySnapshot counted(long count) {
        return new LatencySnapshot(count, 0, 0, 0, 0, 0);
    }

    @Override
    public MessageCodec codec() {
        return settings.codec();
    }

    static String path(AgentId id) {
        return "/v1/agents/" + HttpWire.segment(id.value());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the messenger is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Completes the waiting requests with CLOSED, closes every inbox (waiting for running handlers at most
     * the close timeout), keeps the server's dead letters, then closes the HTTP client and stops the server and its
     * colony.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.values()
                .forEach(f -> f.completeExceptionally(new ReplyException(ReplyFailure.CLOSED, "the messenger closed")));
        pending.clear();
        for (HttpMessengerInbox inbox : inboxes.values()) {
            inbox.close();
        }
        deadLetters.keepServers();
        try {
            Http.close(client);
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            colony.close();
        }
    }
}
