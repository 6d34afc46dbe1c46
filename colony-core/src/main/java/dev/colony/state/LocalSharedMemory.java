package dev.colony.state;

import dev.colony.bus.EventHandler;
import dev.colony.bus.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The embedded shared memory. Every method runs under the state lock (see {@link LocalState}). */
final class LocalSharedMemory implements SharedMemory {
    private final LocalState state;

    LocalSharedMemory(LocalState state) {
        this.state = state;
    }

    /** Removes and announces entries whose TTL ended. Under the lock. */
    int expire(Changes changes, Instant now) {
        return 0; // TODO(helper)
    }

    @Override
    public Optional<MemoryEntry> get(String namespace, String key) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public MemoryEntry put(String namespace, String key, byte[] value) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public MemoryEntry put(String namespace, String key, byte[] value, Duration ttl) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<MemoryEntry> put(String namespace, String key, byte[] value, Duration ttl, Fence fence) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean delete(String namespace, String key) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CasOutcome compareAndSet(
            String namespace, String key, long expectedVersion, byte[] value, Duration ttl, Fence fence) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Subscription watch(String namespace, String keyPattern, EventHandler handler) {
        throw new UnsupportedOperationException("not yet");
    }
}
