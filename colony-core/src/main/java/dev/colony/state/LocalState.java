package dev.colony.state;

import dev.colony.bus.EventBus;
import dev.colony.snapshot.Snapshot;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The embedded coordination state: the four parts share one lock, so every operation is linearizable
 * with respect to every other (and a snapshot can take a consistent cut). The lock is held only for the
 * in-memory change: announcements are published after it is released ({@link Changes}), so no user code
 * (a DIRECT bus handler) ever runs under it.
 *
 * <p>Parts call each other under the lock (the lock is reentrant): a failed agent's leases are released
 * by the task queue, fences are checked against the election's terms, and assignment reads the registry.
 */
final class LocalState implements CoordinationState {
    private static final int SPINS = 64;
    final ReentrantLock lock = new ReentrantLock();
    final StateOptions options;
    final EventBus bus;
    final LocalAgentRegistry registry;
    final LocalTaskQueue tasks;
    final LocalLeaderElection leaders;
    final LocalSharedMemory memory;
    private final Thread sweeper;
    private long revision; // guarded by lock
    private volatile boolean closed;

    LocalState(EventBus bus, StateOptions options) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.options = Objects.requireNonNull(options, "options");
        this.registry = new LocalAgentRegistry(this);
        this.tasks = new LocalTaskQueue(this);
        this.leaders = new LocalLeaderElection(this);
        this.memory = new LocalSharedMemory(this);
        this.sweeper = options.sweepInterval().isZero()
                ? null
                : Thread.ofVirtual().name("colony-state-sweeper").start(this::sweepPeriodically);
    }

    /** Runs {@code operation} under the lock with a change log, then announces its changes; returns its result. */
    <T> T write(Function<Changes, T> operation) {
        Changes changes = new Changes(this);
        T result;
        acquire();
        try {
            if (closed) {
                throw new IllegalStateException("the coordination state is closed");
            }
            result = operation.apply(changes);
        } finally {
            lock.unlock();
        }
        changes.publish(bus);
        return result;
    }

    /**
     * Takes the lock, spinning briefly first: operations hold it for a microsecond or so, much less than
     * a park and unpark cost the waiter and the releaser.
     */
    private void acquire() {
        for (int spin = 0; spin < SPINS; spin++) {
            if (lock.tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        lock.lock();
    }

    /** Runs {@code query} under the lock. */
    <T> T read(Supplier<T> query) {
        acquire();
        try {
            return query.get();
        } finally {
            lock.unlock();
        }
    }

    /** The clock's time. */
    Instant now() {
        return options.clock().instant();
    }

    /** The next revision. Under the lock. */
    long nextRevision() {
        return ++revision;
    }

    @Override
    public Snapshot snapshot() {
        // Under the lock only references are copied; sorting and the Snapshot's own copies happen after.
        Cut cut = read(() -> new Cut(
                revision,
                now(),
                registry.exportLocked(),
                tasks.exportLocked(),
                leaders.exportLocked(),
                memory.exportLocked(),
                memory.retiredLocked(),
                tasks.lastTokenLocked(),
                memory.versionFloorLocked()));
        cut.leaders.sort(Comparator.comparing(Snapshot.LeaderTerm::group));
        cut.memory.sort(LocalState::byNamespaceAndKey);
        return new Snapshot(
                cut.revision,
                cut.takenAt,
                cut.agents,
                cut.tasks,
                cut.leaders,
                cut.memory,
                cut.retired,
                cut.lastToken,
                cut.versionFloor);
    }

    private static int byNamespaceAndKey(MemoryEntry a, MemoryEntry b) {
        int namespace = a.namespace().compareTo(b.namespace());
        return namespace != 0 ? namespace : a.key().compareTo(b.key());
    }

    /** The references copied under the lock for a snapshot. */
    private record Cut(
            long revision,
            Instant takenAt,
            List<AgentRecord> agents,
            List<Task> tasks,
            List<Snapshot.LeaderTerm> leaders,
            List<MemoryEntry> memory,
            List<Snapshot.RetiredKey> retired,
            long lastToken,
            long versionFloor) {}

    @Override
    public void restore(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        SnapshotCheck.check(snapshot);
        write(changes -> {
            registry.importLocked(snapshot.agents());
            tasks.importLocked(snapshot.tasks(), snapshot.lastLeaseToken());
            leaders.importLocked(snapshot.leaders());
            memory.importLocked(snapshot.memory(), snapshot.retiredKeys(), snapshot.memoryVersionFloor());
            revision = snapshot.revision();
            changes.announce("colony.state.restored", revision, "restored", snapshot);
            return null;
        });
    }

    @Override
    public long revision() {
        return read(() -> revision);
    }

    @Override
    public AgentRegistry registry() {
        return registry;
    }

    @Override
    public TaskQueue tasks() {
        return tasks;
    }

    @Override
    public LeaderElection leaders() {
        return leaders;
    }

    @Override
    public SharedMemory memory() {
        return memory;
    }

    @Override
    public int sweep() {
        return write(changes -> {
            Instant now = now();
            registry.expire(changes, now);
            tasks.expire(changes, now);
            leaders.expire(changes, now);
            memory.expire(changes, now);
            return changes.size();
        });
    }

    private void sweepPeriodically() {
        long pause = options.sweepInterval().toNanos();
        while (!closed) {
            try {
                Thread.sleep(java.time.Duration.ofNanos(pause));
                if (!closed) {
                    sweep();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IllegalStateException e) {
                return; // closed meanwhile
            }
        }
    }

    /** Whether {@code fence} is null or current. Under the lock. */
    boolean fenceHolds(Fence fence) {
        return fence == null || leaders.isCurrentLocked(fence);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        if (sweeper != null) {
            sweeper.interrupt();
            try {
                sweeper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
