package dev.colony.server;

import dev.colony.server.auth.Action;
import dev.colony.state.CasOutcome;
import dev.colony.state.Fence;
import dev.colony.state.MemoryEntry;
import dev.colony.state.Names;
import dev.colony.state.SharedMemory;
import dev.colony.state.StateChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared-memory routes: get (the entry, with its version as the {@code ETag}), put (a compare-and-set
 * with {@code If-Match}, create-only with {@code If-None-Match: *}; a 412 carries the current entry),
 * delete, and watch (SSE of changes by key pattern).
 */
final class MemoryRoutes {
    private final Parts parts;
    private final SharedMemory memory;

    MemoryRoutes(Parts parts) {
        this.parts = parts;
        this.memory = parts.colony().memory();
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/v1/memory/{ns}/{key}", this::get),
                Route.of("PUT", "/v1/memory/{ns}/{key}", this::put),
                Route.of("DELETE", "/v1/memory/{ns}/{key}", this::delete),
                Route.of("GET", "/v1/memory/{ns}", this::watch));
    }

    private Reply get(Call call) {
        String ns = call.path("ns");
        String key = key(call);
        call.authorize(Action.MEMORY_READ, ns + "." + key);
        MemoryEntry entry = memory.get(call.ns().token(ns, "namespace"), key)
                .orElseThrow(
                        () -> Problem.notFound("NO_SUCH_KEY", "no entry \"" + key + "\" in namespace \"" + ns + "\""));
        return Reply.ok(entry(ns, entry)).withHeaders(Map.of("ETag", etag(entry.version())));
    }

    private Reply put(Call call) {
        String ns = call.path("ns");
        String key = key(call);
        call.authorize(Action.MEMORY_WRITE, ns + "." + key);
        String stored = call.ns().token(ns, "namespace");
        Body body = call.object();
        byte[] value = Json.write(body.required("value"));
        Duration ttl = body.duration("ttl").orElse(null);
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            throw Problem.badRequest("ttl must be positive, got " + ttl);
        }
        Fence fence = LeaderRoutes.fence(call.ns(), body).orElse(null);
        Optional<Long> expected = expectedVersion(call);
        MemoryEntry written;
        try {
            if (expected.isPresent()) {
                CasOutcome outcome = memory.compareAndSet(stored, key, expected.get(), value, ttl, fence);
                switch (outcome) {
                    case OK -> {}
                    case VERSION_MISMATCH -> throw preconditionFailed(ns, stored, key, expected.get());
                    case STALE_TERM -> throw TaskRoutes.staleTerm(fence);
                }
                written = memory.get(stored, key).orElseThrow();
            } else if (fence != null) {
                written = memory.put(stored, key, value, ttl, fence).orElseThrow(() -> TaskRoutes.staleTerm(fence));
            } else {
                written = memory.put(stored, key, value, ttl);
            }
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        call.audit("memory.put", ns + "." + key);
        return Reply.ok(entry(ns, written)).withHeaders(Map.of("ETag", etag(written.version())));
    }

    private Reply delete(Call call) {
        String ns = call.path("ns");
        String key = key(call);
        call.authorize(Action.MEMORY_WRITE, ns + "." + key);
        if (!memory.delete(call.ns().token(ns, "namespace"), key)) {
            throw Problem.notFound("NO_SUCH_KEY", "no entry \"" + key + "\" in namespace \"" + ns + "\"");
        }
        call.audit("memory.delete", ns + "." + key);
        return Reply.noContent();
    }

    private Reply watch(Call call) {
        String ns = call.path("ns");
        String keys = call.query("keys").orElse(">");
        try {
            Names.keyPattern(keys);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("query parameter keys: " + e.getMessage());
        }
        call.authorize(Action.MEMORY_READ, ns + "." + keys);
        String stored = call.ns().token(ns, "namespace");
        String prefix = "colony.memory." + stored + ".";
        return Reply.events(out -> {
            try (SseStream stream = new SseStream(out, parts.limits().streamBuffer());
                    var subscription = memory.watch(
                            stored,
                            keys,
                            event -> stream.offer(
                                    null,
                                    "change",
                                    Json.write(change(
                                            ns,
                                            event.subject().value().substring(prefix.length()),
                                            event.payload()))))) {
                stream.write(null, "ready", Json.write(Json.obj("namespace", ns, "keys", keys)));
                stream.pump(subscription::isOpen);
            }
        });
    }

    private static String key(Call call) {
        String key = call.path("key");
        try {
            return Names.key(key);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    private static Optional<Long> expectedVersion(Call call) {
        String match = call.header("If-Match");
        String noneMatch = call.header("If-None-Match");
        if (match != null && noneMatch != null) {
            throw Problem.badRequest("send If-Match or If-None-Match, not both");
        }
        if (noneMatch != null) {
            if (!noneMatch.strip().equals("*")) {
                throw Problem.badRequest("If-None-Match supports only *, got \"" + noneMatch + "\"");
            }
            return Optional.of(0L);
        }
        if (match == null) {
            return Optional.empty();
        }
        String v = match.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            long version = Long.parseLong(v);
            if (version < 1) {
                throw new NumberFormatException();
            }
            return Optional.of(version);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("If-Match must be an entry's ETag such as \"3\", got \"" + match + "\"");
        }
    }

    private Problem preconditionFailed(String ns, String stored, String key, long expected) {
        Optional<MemoryEntry> current = memory.get(stored, key);
        return new Problem(
                412,
                "CAS_CONFLICT",
                "entry \"" + key + "\" in namespace \"" + ns + "\" is not at version " + expected
                        + current.map(e -> " (it is at " + e.version() + ")").orElse(" (it does not exist)"),
                current.<Map<String, Object>>map(e -> Map.of("current", entry(ns, e)))
                        .orElse(Map.of()));
    }

    /**
     * A watched change as the stream sends it: {@code {key, change, revision}} and, for writes, the entry's
     * {@code version}, {@code value} and {@code expiresAt}. {@code suffix} is the announcement subject after
     * the namespace: the key, then the change.
     */
    static Map<String, Object> change(String ns, String suffix, Object payload) {
        if (!(payload instanceof StateChange change)) {
            return Json.obj("key", suffix, "change", Json.fromPayload(payload));
        }
        String key = suffix.endsWith("." + change.change())
                ? suffix.substring(0, suffix.length() - change.change().length() - 1)
                : suffix;
        Map<String, Object> out = Json.obj("key", key, "change", change.change(), "revision", change.revision());
        if (change.value() instanceof MemoryEntry entry) {
            out.putAll(Json.obj(
                    "version",
                    entry.version(),
                    "value",
                    Json.fromStored(entry.value()),
                    "expiresAt",
                    entry.expiresAt()));
        }
        return out;
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    static Map<String, Object> entry(String ns, MemoryEntry e) {
        return Json.obj(
                "namespace", ns,
                "key", e.key(),
                "value", Json.fromStored(e.value()),
                "version", e.version(),
                "expiresAt", e.expiresAt());
    }
}
