package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.MessageHandler;
import dev.colony.messaging.Messenger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * An inbox of {@link HttpMessenger}: opened with {@code POST /v1/agents/{id}/inbox}, read by a long-poll loop
 * on a virtual thread once a handler is attached ({@code GET …/inbox?after=N&wait=1s}: each read acknowledges
 * what the handler finished). A message stays held by the server while its handler runs, so a reply from the
 * handler goes through {@code POST …/inbox/{seq}/reply}. A handler that throws, or a payload that does not
 * decode into the inbox's payload type, becomes a dead letter on the client's side.
 */
final class HttpMessengerInbox implements Inbox {
    private final HttpMessenger messenger;
    private final AgentId id;
    private final InboxOptions options;
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private volatile MessageHandler handler;
    private volatile Thread reader;
    private volatile boolean closed;
    private volatile long cursor;

    HttpMessengerInbox(HttpMessenger messenger, AgentId id, InboxOptions options) {
        this.messenger = messenger;
        this.id = id;
        this.options = options;
    }

    @Override
    public AgentId id() {
        return id;
    }

    @Override
    public Set<String> roles() {
        return options.roles();
    }

    @Override
    public synchronized void attach(MessageHandler newHandler) {
        if (closed || handler != null) {
            throw new IllegalStateException(
                    "inbox of \"" + id.value() + "\" is " + (closed ? "closed" : "attached already"));
        }
        handler = newHandler;
        reader = Thread.ofVirtual().name("http-inbox-" + id.value()).start(this::readLoop);
    }

    /**
     * Long-polls the inbox from the cursor. A poll is a GET after the last handled sequence number, so one that
     * failed on the way (an I/O error, a 429 or a 5xx other than 503's "stopping") is asked again, after a pause, up to
     * {@link #POLL_ATTEMPTS} times in a row, with a line on stderr: the reader used to end silently there and
     * the test then waited in vain for its messages. Any other answer, or the server gone for good, ends it.
     */
    private void readLoop() {
        int failures = 0;
        while (!closed) {
            Http.Res res;
            try {
                res = messenger.http.get(HttpMessenger.path(id) + "/inbox?after=" + cursor + "&max=100&wait=PT1S");
            } catch (RuntimeException e) {
                if (closed || Thread.currentThread().isInterrupted() || !pause(++failures, e.toString())) {
                    return; // closed, or the server stopped
                }
                continue;
            }
            if (res.status() == 429 || (res.status() >= 500 && res.status() != 503)) { // 503: stopping
                if (closed || !pause(++failures, "HTTP " + res.status() + " " + res.text())) {
                    return;
                }
                continue;
            }
            if (res.status() != 200) {
                return; // the inbox was closed
            }
            failures = 0;
            for (JsonNode item : res.json().path("messages")) {
                if (closed) {
                    return;
                }
                long seq = item.path("seq").asLong();
                handle(seq, item.path("message"));
                cursor = seq;
            }
        }
    }

    private static final int POLL_ATTEMPTS = 20;

    /** Waits before polling again; false when {@code failures} reached the limit or the wait was interrupted. */
    private boolean pause(int failures, String cause) {
        if (failures >= POLL_ATTEMPTS) {
            System.err.println("[http] inbox reader of " + id.value() + ": " + failures + " failed polls, stopping ("
                    + cause + ")");
            return false;
        }
        System.err.println("[http] inbox reader of " + id.value() + ": poll failed, asking again (" + cause + ")");
        try {
            Thread.sleep(100L * failures);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void handle(long seq, JsonNode json) {
        Envelope message;
        try {
            message = envelope(json, options.payloadType());
            messenger.unmarshalled.incrementAndGet();
        } catch (RuntimeException e) {
            messenger.deadLetters.local(new DeadLetter(
                    null,
                    json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    id,
                    DeadLetter.Reason.MALFORMED,
                    "the payload does not decode into " + options.payloadType().getName() + ": " + e.getMessage(),
                    Instant.now()));
            return;
        }
        held.put(message.id(), seq);
        try {
            handler.onMessage(message);
            messenger.delivered.incrementAndGet();
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            messenger.failed.incrementAndGet();
            messenger.deadLetters.local(new DeadLetter(
                    message,
                    null,
                    id,
                    DeadLetter.Reason.HANDLER_FAILED,
                    "the handler of agent \"" + id.value() + "\" threw " + e,
                    Instant.now()));
            messenger.settings.onHandlerFailure().accept(new Messenger.HandlerFailure(id, message, e));
        } finally {
            held.remove(message.id());
        }
    }

    /** The server's number of a message whose handler runs now, or -1. */
    long heldSeq(String messageId) {
        return held.getOrDefault(messageId, -1L);
    }

    /** An envelope as the server shows it, its payload read into {@code payloadType} (null: a generic tree). */
    static Envelope envelope(JsonNode m, Class<?> payloadType) {
        Class<?> type = payloadType == null ? Object.class : payloadType;
        Object payload = Json.MAPPER.treeToValue(m.path("payload"), type);
        Map<String, String> headers = new LinkedHashMap<>();
        m.path("headers")
                .properties()
                .forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
        return new Envelope(
                m.path("id").asString(),
                agent(m.path("from")),
                agent(m.path("to")),
                m.path("type").asString(),
                m.path("correlationId").asString(null),
                agent(m.path("replyTo")),
                Instant.parse(m.path("time").asString()),
                m.hasNonNull("deadline") ? Instant.parse(m.path("deadline").asString()) : null,
                m.path("priority").asInt(),
                headers,
                payload);
    }

    private static AgentId agent(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : AgentId.of(node.asString());
    }

    /** The messages waiting on the server: unacknowledged ones (the one being handled included). */
    @Override
    public int size() {
        Http.Res res = messenger.http.get(HttpMessenger.path(id) + "/inbox?after=" + cursor + "&max=1");
        return res.status() == 200 ? res.json().path("unread").asInt() : 0;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the server's inbox ({@code DELETE …/inbox}), then waits for the running handler at most the close
     * timeout and interrupts it after that, counting it abandoned.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        messenger.http.delete(HttpMessenger.path(id) + "/inbox");
        messenger.forget(this);
        Thread running = reader;
        if (running != null && running != Thread.currentThread()) {
            try {
                if (!running.join(messenger.settings.closeTimeout())) {
                    running.interrupt();
                    messenger.abandoned.incrementAndGet();
                    running.join(TimeUnit.SECONDS.toMillis(10));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
