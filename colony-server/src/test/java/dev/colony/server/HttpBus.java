package dev.colony.server;

import dev.colony.bus.BusMetrics;
import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * An {@link EventBus} whose every event crosses a server: {@code publish} is {@code POST /v1/events/{subject}},
 * and the subscriptions live on a bus in this process fed by one SSE stream ({@code GET /v1/events?pattern=>}),
 * as the Redis cross-node facade's live on node B (ADR 0016). Every publish is synchronous: it waits until the
 * stream's reader has dispatched the event to the local subscriptions and returns that dispatch's
 * {@link PublishResult}, so the contract's counts hold.
 *
 * <p>The wire carries JSON: each payload travels as {@code {"bus", "key", "priority", "type", "value"}}, where
 * the type names the Java class the reader turns the value back into (the contract publishes strings, numbers
 * and a record); the SSE frame carries the subject but not the priority, so the payload repeats it. The
 * reader ignores events of other buses on the same account (they are other tests' buses).
 */
final class HttpBus implements EventBus {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final String id = UUID.randomUUID().toString();
    private final HttpClient client = Http.newClient();
    private final Http http;
    private final EventBus local;
    private final Consumer<Event> deadEvents;
    private final SseClient stream;
    private final AtomicLong keys = new AtomicLong();
    private final Map<Long, CompletableFuture<PublishResult>> pending = new ConcurrentHashMap<>();
    private final ReentrantLock closing = new ReentrantLock();
    private volatile boolean closed;

    HttpBus(URI base, String token, EventBus.Builder builder) {
        this.http = new Http(client, base, token);
        // dead events go to the handler on the publisher's thread, as in one JVM: the local bus only counts them
        this.deadEvents = builder.settings().deadEventHandler().orElse(e -> {});
        this.local = builder.onDeadEvent(e -> {}).build();
        CountDownLatch ready = new CountDownLatch(1);
        try {
            stream = new SseClient(base, "/v1/events?pattern=%3E", token, null, 0);
            stream.startReading(frame -> {
                if (frame.event().equals("ready")) {
                    ready.countDown();
                } else if (frame.event().equals("message")) {
                    dispatch(Json.MAPPER.readTree(frame.data()));
                }
            });
            if (stream.status != 200 || !ready.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the event stream did not open: status " + stream.status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public PublishResult publish(String subject, Object payload) {
        return publish(new Event(Subject.of(subject), payload));
    }

    @Override
    public PublishResult publish(Event event) {
        Objects.requireNonNull(event, "event");
        checkOpen();
        return send(event);
    }

    @Override
    public PublishResult publishAll(List<Event> events) {
        Objects.requireNonNull(events, "events");
        events.forEach(e -> Objects.requireNonNull(e, "events contains null"));
        checkOpen();
        int[] sum = new int[5];
        for (Event event : events) {
            PublishResult r = send(event);
            sum[0] += r.matched();
            sum[1] += r.accepted();
            sum[2] += r.dropped();
            sum[3] += r.rejected();
            sum[4] += r.failed();
        }
        return new PublishResult(sum[0], sum[1], sum[2], sum[3], sum[4]);
    }

    private PublishResult send(Event event) {
        long key = keys.incrementAndGet();
        CompletableFuture<PublishResult> delivered = new CompletableFuture<>();
        pending.put(key, delivered);
        try {
            Object payload = event.payload();
            Http.Res res = http.post(
                    "/v1/events/" + HttpWire.segment(event.subject().value()) + "?priority=" + event.priority(),
                    HttpWire.json(
                            "bus", id,
                            "key", key,
                            "priority", event.priority(),
                            "type", payload.getClass().getName(),
                            "value", Json.MAPPER.valueToTree(payload)));
            HttpWire.expect(res, 200);
            PublishResult result = awaitDelivery(delivered, key);
            if (result.isDead()) {
                try {
                    deadEvents.accept(event);
                } catch (RuntimeException e) {
                    // the embedded bus logs and ignores a throwing dead-event handler; so does this facade
                }
            }
            return result;
        } finally {
            pending.remove(key);
        }
    }

    private static PublishResult awaitDelivery(CompletableFuture<PublishResult> delivered, long key) {
        try {
            // bounded by orTimeout, not get's timeout: the publisher parks as WAITING (not TIMED_WAITING), which
            // is how the overflow tests recognise a publisher held by a full mailbox
            return delivered
                    .orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event stream", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the event stream did not deliver event " + key + " within " + PATIENCE, e);
        }
    }

    /** The bus in this process where the subscriptions live (its handlers run on the stream's reader). */
    EventBus subscriberSide() {
        return local;
    }

    /** On the stream's reader: an event of this bus, dispatched to the local subscriptions. */
    private void dispatch(JsonNode data) {
        JsonNode wrapped = data.path("payload");
        if (!id.equals(wrapped.path("bus").asString(null))) {
            return;
        }
        long key = wrapped.path("key").asLong();
        CompletableFuture<PublishResult> delivered = pending.get(key);
        try {
            Object payload = Json.MAPPER.treeToValue(
                    wrapped.path("value"), Class.forName(wrapped.path("type").asString()));
            PublishResult result = local.publish(new Event(
                    Subject.of(data.path("subject").asString()),
                    payload,
                    wrapped.path("priority").asInt()));
            if (delivered != null) {
                delivered.complete(result);
            }
        } catch (ClassNotFoundException | RuntimeException e) {
            if (delivered != null) {
                delivered.completeExceptionally(e);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the bus is closed");
        }
    }

    @Override
    public Subscription subscribe(SubjectPattern pattern, EventHandler handler, SubscribeOptions options) {
        return local.subscribe(pattern, handler, options);
    }

    /** The subscriptions of this client's side, where they live (as a distributed bus counts one node's). */
    @Override
    public int subscriberCount(Subject subject) {
        return local.subscriberCount(subject);
    }

    @Override
    public BusMetrics metrics() {
        return local.metrics();
    }

    /**
     * Closes the local bus (waiting as it does for running handlers), then the stream and the HTTP client; a parking
     * lock, so concurrent closers wait alike.
     */
    @Override
    public void close() {
        closing.lock();
        try {
            closed = true;
            local.close();
            stream.close();
            Http.close(client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closing.unlock();
        }
    }
}
