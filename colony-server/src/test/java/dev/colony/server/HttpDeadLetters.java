package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.DeadLetters;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The dead letters of {@link HttpMessenger}: those the server shows ({@code GET /v1/messages/dead-letters},
 * fetched on every read, each taken once) and those the client side made, oldest first, the newest
 * {@code capacity} kept. {@code total} and {@code discarded} count what this client saw: the route shows the
 * server's kept letters, not its counters. Thread-safe (synchronized).
 */
final class HttpDeadLetters implements DeadLetters {
    private final Http http;
    private final int capacity;
    private final ArrayDeque<DeadLetter> kept = new ArrayDeque<>();
    private final Set<String> seen = new HashSet<>();
    private long total;
    private long discarded;
    private boolean serverGone;

    HttpDeadLetters(Http http, int capacity) {
        this.http = http;
        this.capacity = capacity;
    }

    /** A dead letter made on the client's side. */
    synchronized void local(DeadLetter letter) {
        add(letter);
    }

    /** Takes the server's letters one last time, before it stops. */
    synchronized void keepServers() {
        fetch();
        serverGone = true;
    }

    private void add(DeadLetter letter) {
        total++;
        kept.addLast(letter);
        while (kept.size() > capacity) {
            kept.removeFirst();
            discarded++;
        }
    }

    private void fetch() {
        if (serverGone) {
            return;
        }
        Http.Res res = http.get("/v1/messages/dead-letters");
        if (res.status() != 200) {
            return;
        }
        for (JsonNode d : res.json().path("deadLetters")) {
            String key = d.toString();
            if (seen.add(key)) {
                add(new DeadLetter(
                        d.hasNonNull("message") ? HttpMessengerInbox.envelope(d.path("message"), null) : null,
                        null,
                        d.hasNonNull("recipient")
                                ? AgentId.of(d.path("recipient").asString())
                                : null,
                        DeadLetter.Reason.valueOf(d.path("reason").asString()),
                        d.path("detail").asString(),
                        Instant.parse(d.path("time").asString())));
            }
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long maxBytes() {
        return Long.MAX_VALUE;
    }

    @Override
    public synchronized long retainedBytes() {
        fetch();
        return kept.stream().mapToLong(l -> l.detail().length()).sum();
    }

    @Override
    public synchronized int size() {
        fetch();
        return kept.size();
    }

    @Override
    public synchronized long total() {
        fetch();
        return total;
    }

    @Override
    public synchronized long discarded() {
        fetch();
        return discarded;
    }

    @Override
    public synchronized DeadLetter poll() {
        fetch();
        return kept.pollFirst();
    }

    @Override
    public synchronized List<DeadLetter> drain() {
        fetch();
        List<DeadLetter> all = new ArrayList<>(kept);
        kept.clear();
        return all;
    }

    @Override
    public synchronized List<DeadLetter> peekAll() {
        fetch();
        return List.copyOf(kept);
    }
}
