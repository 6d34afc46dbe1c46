package dev.colony.server;

import dev.colony.bus.EventHandler;
import dev.colony.bus.Subscription;
import dev.colony.state.CasOutcome;
import dev.colony.state.Fence;
import dev.colony.state.MemoryEntry;
import dev.colony.state.SharedMemory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Colony's {@link SharedMemory} spoken over {@code /v1/memory}. Values are JSON on the wire: bytes that are
 * JSON travel as themselves, other bytes as a JSON string, and a string answer comes back as its text
 * (the server's rule for values Java code stored). {@link #watch} is the SSE route, not covered here.
 */
final class HttpMemory implements SharedMemory {
    private final Http http;

    HttpMemory(Http http) {
        this.http = http;
    }

    @Override
    public Optional<MemoryEntry> get(String namespace, String key) {
        Http.Res res = http.get(path(namespace, key));
        if (res.status() == 404 && res.code().equals("NO_SUCH_KEY")) {
            return Optional.empty();
        }
        return Optional.of(entry(HttpWire.expect(res, 200)));
    }

    @Override
    public MemoryEntry put(String namespace, String key, byte[] value) {
        return put(namespace, key, value, null);
    }

    @Override
    public MemoryEntry put(String namespace, String key, byte[] value, Duration ttl) {
        return entry(HttpWire.expect(http.put(path(namespace, key), body(value, ttl, null)), 200));
    }

    @Override
    public Optional<MemoryEntry> put(String namespace, String key, byte[] value, Duration ttl, Fence fence) {
        Http.Res res = http.put(path(namespace, key), body(value, ttl, fence));
        if (res.status() == 409 && res.code().equals("STALE_TERM")) {
            return Optional.empty();
        }
        return Optional.of(entry(HttpWire.expect(res, 200)));
    }

    @Override
    public boolean delete(String namespace, String key) {
        Http.Res res = http.delete(path(namespace, key));
        if (res.status() == 404 && res.code().equals("NO_SUCH_KEY")) {
            return false;
        }
        HttpWire.expect(res, 204);
        return true;
    }

    @Override
    public CasOutcome compareAndSet(
            String namespace, String key, long expectedVersion, byte[] value, Duration ttl, Fence fence) {
        Http conditional = expectedVersion == 0
                ? http.with("If-None-Match", "*")
                : http.with("If-Match", MemoryRoutes.etag(expectedVersion));
        Http.Res res = conditional.put(path(namespace, key), body(value, ttl, fence));
        if (res.status() == 412) {
            return CasOutcome.VERSION_MISMATCH;
        }
        if (res.status() == 409 && res.code().equals("STALE_TERM")) {
            return CasOutcome.STALE_TERM;
        }
        HttpWire.expect(res, 200);
        return CasOutcome.OK;
    }

    @Override
    public Subscription watch(String namespace, String keyPattern, EventHandler handler) {
        throw new UnsupportedOperationException("memory watch over HTTP is the SSE route GET /v1/memory/{ns}");
    }

    private static String path(String namespace, String key) {
        return "/v1/memory/" + HttpWire.segment(namespace) + "/" + HttpWire.segment(key);
    }

    private static String body(byte[] value, Duration ttl, Fence fence) {
        JsonNode json = Json.fromStored(value);
        return HttpWire.json("value", json, "ttl", HttpWire.duration(ttl), "fence", HttpWire.fence(fence));
    }

    /** The bytes a client gets back for a JSON value: a string's text, any other JSON as itself. */
    static byte[] bytes(JsonNode value) {
        return value.isString() ? value.asString().getBytes(StandardCharsets.UTF_8) : Json.write(value);
    }

    private static MemoryEntry entry(JsonNode node) {
        return new MemoryEntry(
                node.path("namespace").asString(),
                node.path("key").asString(),
                bytes(node.path("value")),
                node.path("version").asLong(),
                node.hasNonNull("expiresAt")
                        ? Instant.parse(node.path("expiresAt").asString())
                        : null);
    }
}
