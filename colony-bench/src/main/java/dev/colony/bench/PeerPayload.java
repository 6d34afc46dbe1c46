package dev.colony.bench;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.JsonMessageCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The payload every peer benchmark hands over: the docs/workloads.md ~500-byte envelope (id, sender, recipient,
 * type, time and a payload of {@value #ENTRIES} {@code {key, value: double}} entries with a timestamp;
 * about 500 bytes in Colony's CloudEvents JSON). Colony's messenger sends it as is; the bus and every
 * peer carry the same instance by reference. Built once, before any timed region.
 */
final class PeerPayload {
    static final int ENTRIES = 6;
    static final AgentId SENDER = AgentId.of("agent-7");
    static final AgentId RECIPIENT = AgentId.of("agent-42");

    private PeerPayload() {}

    /** A new ~500-byte envelope from {@link #SENDER} to {@code recipient}; the same content every time. */
    static Envelope envelope(AgentId recipient) {
        Random random = new Random(20261127L);
        List<CodecBenchmark.Entry> entries = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            entries.add(new CodecBenchmark.Entry("k" + i, random.nextDouble() * Math.pow(10, random.nextInt(7) - 3)));
        }
        Instant time = Instant.parse("2026-11-27T10:15:30.123456789Z");
        CodecBenchmark.Payload payload = new CodecBenchmark.Payload(List.copyOf(entries), time.toEpochMilli());
        return new Envelope(
                new java.util.UUID(random.nextLong(), random.nextLong()).toString(),
                SENDER,
                recipient,
                "targeted",
                null,
                null,
                time,
                null,
                4,
                Map.of(),
                payload);
    }

    /** {@link #envelope(AgentId)} to {@link #RECIPIENT}. */
    static Envelope envelope() {
        return envelope(RECIPIENT);
    }

    /** The envelope's size as Colony's CloudEvents JSON, to show it is the ~500-byte one. */
    static int jsonBytes() {
        return JsonMessageCodec.create().encode(envelope()).length;
    }
}
