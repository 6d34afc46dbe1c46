package dev.colony.wasm;

import dev.colony.messaging.RawJson;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bytes a filter sees of an event's payload, encoded once per event and shared by every WASM
 * subscriber of the host: {@code byte[]} as is, {@code String} and {@link RawJson} as UTF-8, anything else
 * as JSON.
 *
 * <p>The sharing is a small lock-free cache keyed by the payload's identity: {@value #SLOTS} slots indexed
 * by identity hash, each holding an immutable (payload, bytes) pair; a slot is overwritten by the next
 * payload that hashes there, so memory stays bounded and a miss only costs a second encoding. A
 * {@code byte[]} payload is passed as is: filters must not (and through the ABI cannot) change it.
 */
final class PayloadBytes {
    static final int SLOTS = 256;
    private static final byte[] EMPTY = new byte[0];
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Entry(Object payload, byte[] bytes) {}

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    static byte[] empty() {
        return EMPTY;
    }

    /**
     * The payload's bytes.
     *
     * @throws IllegalArgumentException if the payload cannot be encoded as JSON
     */
    byte[] of(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        int slot = System.identityHashCode(payload) & (SLOTS - 1);
        Entry entry = slots.getPlain(slot); // a stale read costs one encoding, nothing else
        if (entry != null && entry.payload == payload) {
            return entry.bytes;
        }
        byte[] bytes = encode(payload);
        slots.setPlain(slot, new Entry(payload, bytes)); // safe to publish plainly: Entry's fields are final
        return bytes;
    }

    private static byte[] encode(Object payload) {
        if (payload instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (payload instanceof RawJson raw) {
            return raw.text().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the payload of type "
                    + payload.getClass().getName() + " cannot be encoded as JSON: " + e.getOriginalMessage());
        }
    }
}
