package dev.colony.state;

import dev.colony.bus.EventHandler;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.Subscription;
import java.time.Duration;
import java.util.Optional;

/**
 * Namespaced key-value entries with versions and optional time to live, for the small facts a swarm
 * shares (configuration, progress, who handles what). Values are bytes, at most
 * {@link StateOptions#maxValueBytes()} (a larger one is an {@link IllegalArgumentException} naming both
 * sizes).
 *
 * <p>Announcements: {@code colony.memory.<namespace>.<key>} with a {@link StateChange} whose change is
 * {@code put}, {@code deleted} or {@code expired} and whose value is the {@link MemoryEntry} (the last
 * one, for a deletion). {@link #watch} subscribes to them by key pattern. Linearizable; thread-safe.
 */
public interface SharedMemory {

    /** The live entry under {@code key} in {@code namespace}; empty if there is none or it expired. */
    Optional<MemoryEntry> get(String namespace, String key);

    /** Writes {@code value}, with no expiry; returns the new entry. */
    MemoryEntry put(String namespace, String key, byte[] value);

    /** Writes {@code value} that expires after {@code ttl} (null for never); returns the new entry. */
    MemoryEntry put(String namespace, String key, byte[] value, Duration ttl);

    /** {@link #put(String, String, byte[], Duration)} under a fence; empty if the fence is stale. */
    Optional<MemoryEntry> put(String namespace, String key, byte[] value, Duration ttl, Fence fence);

    /** Deletes the entry; false if there was none. */
    boolean delete(String namespace, String key);

    /**
     * Writes {@code value} only if the entry's version is {@code expectedVersion} (0: only if absent).
     *
     * @param ttl the new entry's time to live, or null for never
     * @param fence a fence to check, or null
     */
    CasOutcome compareAndSet(
            String namespace, String key, long expectedVersion, byte[] value, Duration ttl, Fence fence);

    /**
     * Subscribes {@code handler} to changes of the keys of {@code namespace} matching {@code keyPattern}
     * (subject syntax: {@code *} one token, {@code >} the rest), DIRECT on the writer's thread.
     */
    Subscription watch(String namespace, String keyPattern, EventHandler handler);

    /**
     * The bus pattern {@link #watch} subscribes with: {@code colony.memory.<namespace>.<keyPattern>}.
     *
     * @throws IllegalArgumentException if {@code namespace} is not a token or {@code keyPattern} not a key
     *     pattern (see {@link Names})
     */
    static SubjectPattern watchPattern(String namespace, String keyPattern) {
        Names.token(namespace, "namespace");
        Names.keyPattern(keyPattern);
        return SubjectPattern.of("colony.memory." + namespace + "." + keyPattern);
    }
}
