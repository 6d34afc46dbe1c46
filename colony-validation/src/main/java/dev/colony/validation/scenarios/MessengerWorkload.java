package dev.colony.validation.scenarios;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.JsonMessageCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The messages of the {@code messenger} scenario, built before any timed region: the original report's
 * shape (id, a type of request/response/broadcast/targeted/coordination, a sender among 100 agents, and a
 * payload of {key, value: double} entries with a timestamp), addressed so that agent {@code a} sends its
 * share to agent {@code a + 1}. Doubles are random with 15 to 17 significant digits, so an inexact codec
 * would fail the content check.
 */
final class MessengerWorkload {
    static final int AGENTS = 100;
    private static final String[] TYPES = {"request", "response", "broadcast", "targeted", "coordination"};

    /** One entry of the payload. */
    public record Entry(String key, double value) {}

    /** The payload: entries and a timestamp. Records compare doubles exactly (bit patterns). */
    public record Payload(List<Entry> entries, long timestamp) {}

    final AgentId[] agents = new AgentId[AGENTS];
    /** {@code messages[a]}: what agent {@code a} sends, in order, to agent {@code (a + 1) % AGENTS}. */
    final Envelope[][] messages;

    private final Map<String, Envelope> byId = new HashMap<>();
    final int encodedBytes;

    MessengerWorkload(int total, int entries, long seed) {
        Random random = new Random(seed);
        for (int a = 0; a < AGENTS; a++) {
            agents[a] = AgentId.of("agent-" + a);
        }
        int perAgent = total / AGENTS;
        messages = new Envelope[AGENTS][perAgent];
        Instant time = Instant.parse("2026-11-27T12:00:00Z");
        for (int a = 0; a < AGENTS; a++) {
            for (int i = 0; i < perAgent; i++) {
                List<Entry> list = new ArrayList<>(entries);
                for (int e = 0; e < entries; e++) {
                    list.add(new Entry("k" + e, random.nextDouble() * Math.pow(10, random.nextInt(7) - 3)));
                }
                Payload payload = new Payload(List.copyOf(list), time.toEpochMilli() + i);
                Envelope message = Envelope.of(agents[a], agents[(a + 1) % AGENTS], TYPES[i % TYPES.length], payload)
                        .withId(new UUID(random.nextLong(), random.nextLong()).toString())
                        .withTime(time);
                messages[a][i] = message;
                byId.put(message.id(), message);
            }
        }
        encodedBytes = JsonMessageCodec.create().encode(messages[0][0]).length;
    }

    int total() {
        return AGENTS * messages[0].length;
    }

    /** Whether {@code received} is, field for field and double for double, a message this workload sent. */
    boolean matches(Envelope received) {
        Envelope sent = byId.get(received.id());
        return sent != null
                && sent.source().equals(received.source())
                && sent.recipient().equals(received.recipient())
                && sent.type().equals(received.type())
                && sent.time().equals(received.time())
                && sent.payload().equals(received.payload());
    }
}
