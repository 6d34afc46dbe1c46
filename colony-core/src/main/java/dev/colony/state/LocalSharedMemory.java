package dev.colony.state;

import dev.colony.bus.EventHandler;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The embedded shared memory. Every method runs under the state lock (see {@link LocalState}).
 *
 * <p>Entries live in a hash map keyed by {@code namespace.key} (a namespace is a token without dots, so
 * the joined text is unambiguous, and it is the announcement subject's suffix). Entries with a time to
 * live are also in a set ordered by expiry, so a sweep removes what is due without scanning the rest. An
 * entry is live while the clock is before its {@code expiresAt}: a lapsed entry is invisible at once to
 * get, CAS and delete, and is removed and announced {@code expired} by the next sweep or by the next
 * write of its key (which announces {@code expired} before its own change).
 *
 * <p>Versions: a write takes the previous version plus one. When a key is deleted or expires its last
 * version is kept as a tombstone so that a recreation continues above it; versions are never reused for
 * a key. Tombstones cost one map entry per removed key; they are bounded ({@value #MAX_TOMBSTONES} by
 * default, oldest evicted first). An evicted tombstone raises a floor that every key without a tombstone
 * starts above, so the guarantee holds after eviction; the price is that, once the bound has been
 * reached, a brand-new key may start above 1.
 */
final class LocalSharedMemory implements SharedMemory {
    static final int MAX_TOMBSTONES = 1 << 16;
    private static final Comparator<MemoryEntry> BY_EXPIRY = Comparator.comparing(MemoryEntry::expiresAt)
            .thenComparing(MemoryEntry::namespace)
            .thenComparing(MemoryEntry::key);

    private final LocalState state;
    private final int maxTombstones;
    // all guarded by state.lock
    private final Map<String, MemoryEntry> entries = new LinkedHashMap<>(); // creation order: a snapshot's order
    private final NavigableSet<MemoryEntry> expiring = new TreeSet<>(BY_EXPIRY);
    private final LinkedHashMap<String, Long> tombstones = new LinkedHashMap<>();
    private long versionFloor;

    LocalSharedMemory(LocalState state) {
        this(state, MAX_TOMBSTONES);
    }

    LocalSharedMemory(LocalState state, int maxTombstones) {
        this.state = state;
        this.maxTombstones = maxTombstones;
    }

    private static String id(String namespace, String key) {
        return namespace + "." + key;
    }

    private static String subject(String id) {
        return "colony.memory." + id;
    }

    /** Removes and announces entries whose TTL ended. Under the lock. */
    int expire(Changes changes, Instant now) {
        int expired = 0;
        while (!expiring.isEmpty() && lapsed(expiring.first(), now)) {
            MemoryEntry entry = expiring.pollFirst();
            String id = id(entry.namespace(), entry.key());
            entries.remove(id);
            bury(id, entry.version());
            changes.record(subject(id), "expired", entry, false);
            expired++;
        }
        return expired;
    }

    @Override
    public Optional<MemoryEntry> get(String namespace, String key) {
        String id = validId(namespace, key);
        return state.read(() -> {
            MemoryEntry entry = entries.get(id);
            return entry == null || lapsed(entry, state.now()) ? Optional.empty() : Optional.of(entry);
        });
    }

    @Override
    public MemoryEntry put(String namespace, String key, byte[] value) {
        return put(namespace, key, value, null);
    }

    @Override
    public MemoryEntry put(String namespace, String key, byte[] value, Duration ttl) {
        String id = validId(namespace, key);
        state.options.checkValue(namespace, key, value);
        StateOptions.checkTtl(ttl);
        return state.write(changes -> store(id, namespace, key, value, ttl, changes, state.now()));
    }

    @Override
    public Optional<MemoryEntry> put(String namespace, String key, byte[] value, Duration ttl, Fence fence) {
        String id = validId(namespace, key);
        state.options.checkValue(namespace, key, value);
        StateOptions.checkTtl(ttl);
        return state.write(changes -> state.fenceHolds(fence)
                ? Optional.of(store(id, namespace, key, value, ttl, changes, state.now()))
                : Optional.empty());
    }

    @Override
    public boolean delete(String namespace, String key) {
        String id = validId(namespace, key);
        return state.write(changes -> {
            MemoryEntry entry = live(id, changes, state.now());
            if (entry == null) {
                return false;
            }
            remove(id, entry);
            changes.record(subject(id), "deleted", entry, false);
            return true;
        });
    }

    @Override
    public CasOutcome compareAndSet(
            String namespace, String key, long expectedVersion, byte[] value, Duration ttl, Fence fence) {
        String id = validId(namespace, key);
        if (expectedVersion < 0) {
            throw new IllegalArgumentException(
                    "expectedVersion must be 0 (absent) or a version, got " + expectedVersion);
        }
        state.options.checkValue(namespace, key, value);
        StateOptions.checkTtl(ttl);
        return state.write(changes -> {
            if (!state.fenceHolds(fence)) {
                return CasOutcome.STALE_TERM;
            }
            Instant now = state.now();
            MemoryEntry current = live(id, changes, now);
            long actual = current == null ? 0 : current.version();
            if (actual != expectedVersion) {
                return CasOutcome.VERSION_MISMATCH;
            }
            store(id, namespace, key, value, ttl, changes, now);
            return CasOutcome.OK;
        });
    }

    @Override
    public Subscription watch(String namespace, String keyPattern, EventHandler handler) {
        SubjectPattern pattern = SharedMemory.watchPattern(namespace, keyPattern);
        return state.bus.subscribe(pattern, Objects.requireNonNull(handler, "handler"), SubscribeOptions.direct());
    }

    /** Writes the next version of {@code id}, announcing a lapsed predecessor first. Under the lock. */
    private MemoryEntry store(
            String id, String namespace, String key, byte[] value, Duration ttl, Changes changes, Instant now) {
        MemoryEntry previous = live(id, changes, now);
        long version;
        if (previous != null) {
            version = previous.version() + 1;
            if (previous.expiresAt() != null) {
                expiring.remove(previous);
            }
        } else {
            Long buried = tombstones.remove(id);
            version = (buried == null ? versionFloor : buried) + 1;
        }
        MemoryEntry entry = new MemoryEntry(namespace, key, value, version, ttl == null ? null : expiry(now, ttl));
        entries.put(id, entry);
        if (entry.expiresAt() != null) {
            expiring.add(entry);
        }
        changes.record(subject(id), "put", entry, false);
        return entry;
    }

    /** The live entry of {@code id}, or null; a lapsed one is removed and announced. Under the lock. */
    private MemoryEntry live(String id, Changes changes, Instant now) {
        MemoryEntry entry = entries.get(id);
        if (entry == null || !lapsed(entry, now)) {
            return entry;
        }
        remove(id, entry);
        changes.record(subject(id), "expired", entry, false);
        return null;
    }

    private void remove(String id, MemoryEntry entry) {
        entries.remove(id);
        if (entry.expiresAt() != null) {
            expiring.remove(entry);
        }
        bury(id, entry.version());
    }

    /**
     * The entries (lapsed ones not yet swept included) in the order their keys were created, for a
     * snapshot; a restore recreates them in that order, so a restored state snapshots to the same bytes.
     * Under the lock.
     */
    List<MemoryEntry> exportLocked() {
        return new ArrayList<>(entries.values());
    }

    /** The retired keys in the order they were retired (oldest first), for a snapshot. Under the lock. */
    List<Snapshot.RetiredKey> retiredLocked() {
        List<Snapshot.RetiredKey> retired = new ArrayList<>(tombstones.size());
        for (Map.Entry<String, Long> tombstone : tombstones.entrySet()) {
            String id = tombstone.getKey();
            int dot = id.indexOf('.');
            retired.add(new Snapshot.RetiredKey(id.substring(0, dot), id.substring(dot + 1), tombstone.getValue()));
        }
        return retired;
    }

    long versionFloorLocked() {
        return versionFloor;
    }

    /** Replaces every entry, tombstone and the floor. Under the lock; the caller validated the content. */
    void importLocked(List<MemoryEntry> restored, List<Snapshot.RetiredKey> retired, long floor) {
        entries.clear();
        expiring.clear();
        tombstones.clear();
        for (MemoryEntry entry : restored) {
            entries.put(id(entry.namespace(), entry.key()), entry);
            if (entry.expiresAt() != null) {
                expiring.add(entry);
            }
        }
        for (Snapshot.RetiredKey key : retired) {
            tombstones.put(id(key.namespace(), key.key()), key.lastVersion());
        }
        versionFloor = floor;
    }

    /**
     * Replays a journaled change: {@code put} stores the entry's image, {@code deleted} and {@code expired}
     * remove it and keep its version. Under the lock.
     */
    void applyLocked(String change, MemoryEntry entry) {
        String id = id(entry.namespace(), entry.key());
        MemoryEntry previous = entries.remove(id);
        if (previous != null && previous.expiresAt() != null) {
            expiring.remove(previous);
        }
        if (change.equals("put")) {
            tombstones.remove(id);
            entries.put(id, entry);
            if (entry.expiresAt() != null) {
                expiring.add(entry);
            }
        } else {
            bury(id, entry.version());
        }
    }

    /** Keeps {@code id}'s last version; evicts the oldest tombstone past the bound into the floor. */
    private void bury(String id, long version) {
        tombstones.put(id, version);
        if (tombstones.size() > maxTombstones) {
            Iterator<Long> oldest = tombstones.values().iterator();
            versionFloor = Math.max(versionFloor, oldest.next());
            oldest.remove();
        }
    }

    private static boolean lapsed(MemoryEntry entry, Instant now) {
        return entry.expiresAt() != null && !now.isBefore(entry.expiresAt());
    }

    private static String validId(String namespace, String key) {
        Names.token(namespace, "namespace");
        Names.key(key);
        return id(namespace, key);
    }

    /** {@code now + ttl}, saturating at {@link Instant#MAX} for absurdly long ones. */
    private static Instant expiry(Instant now, Duration ttl) {
        try {
            return now.plus(ttl);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MAX;
        }
    }
}
