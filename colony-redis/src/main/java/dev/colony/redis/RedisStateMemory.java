package dev.colony.redis;

import dev.colony.bus.EventHandler;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import dev.colony.state.CasOutcome;
import dev.colony.state.Fence;
import dev.colony.state.MemoryEntry;
import dev.colony.state.Names;
import dev.colony.state.SharedMemory;
import dev.colony.state.StateOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Shared memory in Redis: one hash per entry ({@code mem:<namespace>.<key>}), creation order in
 * {@code mem}, expiring entries in {@code memexp}, retired versions in {@code tomb}/{@code tombs} (bounded
 * like the embedded state's, the oldest evicted into {@code memfloor}). Writes are {@code memory_write}
 * (put and compare-and-set) and {@code memory_delete}; an entry is live while the clock is before its
 * {@code exp}. Watching subscribes to this process's bus, like the embedded state.
 */
final class RedisStateMemory implements SharedMemory {
    private final RedisState state;

    RedisStateMemory(RedisState state) {
        this.state = state;
    }

    @Override
    public Optional<MemoryEntry> get(String namespace, String key) {
        String id = validId(namespace, key);
        Map<String, byte[]> hash = state.hash("mem:" + id);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        MemoryEntry entry = RedisStateCodec.memory(hash);
        boolean lapsed =
                entry.expiresAt() != null && state.now() >= entry.expiresAt().toEpochMilli();
        return lapsed ? Optional.empty() : Optional.of(entry);
    }

    @Override
    public MemoryEntry put(String namespace, String key, byte[] value) {
        return put(namespace, key, value, null);
    }

    @Override
    public MemoryEntry put(String namespace, String key, byte[] value, Duration ttl) {
        validId(namespace, key);
        state.options.checkValue(namespace, key, value);
        StateOptions.checkTtl(ttl);
        return RedisStateCodec.memory(write(namespace, key, value, ttl, null, "put", 0));
    }

    @Override
    public Optional<MemoryEntry> put(String namespace, String key, byte[] value, Duration ttl, Fence fence) {
        validId(namespace, key);
        state.options.checkValue(namespace, key, value);
        StateOptions.checkTtl(ttl);
        Object result = write(namespace, key, value, ttl, fence, "put", 0);
        return RedisState.none(result) ? Optional.empty() : Optional.of(RedisStateCodec.memory(result));
    }

    @Override
    public boolean delete(String namespace, String key) {
        validId(namespace, key);
        return !RedisState.none(state.run("memory_delete", namespace, key));
    }

    @Override
    public CasOutcome compareAndSet(
            String namespace, String key, long expectedVersion, byte[] value, Duration ttl, Fence fence) {
        validId(namespace, key);
        if (expectedVersion < 0) {
            throw new IllegalArgumentException(
                    "expectedVersion must be 0 (absent) or a version, got " + expectedVersion);
        }
        state.options.checkValue(namespace, key, value);
        StateOptions.checkTtl(ttl);
        String outcome = RedisStateCodec.text(write(namespace, key, value, ttl, fence, "cas", expectedVersion));
        try {
            return CasOutcome.valueOf(outcome);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RedisStateException("memory_write answered an unknown outcome: " + outcome);
        }
    }

    private Object write(
            String namespace, String key, byte[] value, Duration ttl, Fence fence, String mode, long expected) {
        return state.run(
                "memory_write",
                namespace,
                key,
                value.clone(),
                ttl == null ? "" : RedisState.millis(ttl),
                fence == null ? "" : fence.group(),
                fence == null ? "" : fence.term(),
                mode,
                expected);
    }

    @Override
    public Subscription watch(String namespace, String keyPattern, EventHandler handler) {
        SubjectPattern pattern = SharedMemory.watchPattern(namespace, keyPattern);
        return state.bus.subscribe(pattern, Objects.requireNonNull(handler, "handler"), SubscribeOptions.direct());
    }

    private static String validId(String namespace, String key) {
        Names.token(namespace, "namespace");
        Names.key(key);
        return namespace + "." + key;
    }
}
