package dev.colony.state;

import dev.colony.bus.EventBus;
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
 *
 * <p>Durable ({@link DurableLocalState}): each operation's changes are appended to the {@link Journal}
 * under the lock, so the journal's order is the order of revisions, and the operation returns (and
 * announces) only once the journal says they are durable. Without a journal none of this costs anything.
 */
class LocalState implements CoordinationState {
    private static final int SPINS = 64;
    final ReentrantLock lock = new ReentrantLock();
    final StateOptions options;
    final EventBus bus;
    final LocalAgentRegistry registry;
    final LocalTaskQueue tasks;
    final LocalLeaderElection leaders;
    final LocalSharedMemory memory;
    final Journal journal; // null unless durable
    private Thread sweeper;
    private long revision; // guarded by lock
    private volatile boolean closed;

    LocalState(EventBus bus, StateOptions options) {
        this(bus, options, null);
        startSweeper();
    }

    /** A state journaling to {@code journal} (null for none); the caller starts the sweeper. */
    LocalState(EventBus bus, StateOptions options, Journal journal) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.options = Objects.requireNonNull(options, "options");
        this.journal = journal;
        this.registry = new LocalAgentRegistry(this);
        this.tasks = new LocalTaskQueue(this);
        this.leaders = new LocalLeaderElection(this);
        this.memory = new LocalSharedMemory(this);
    }

    final void startSweeper() {
        if (!options.sweepInterval().isZero()) {
            sweeper = Thread.ofVirtual().name("colony-state-sweeper").start(this::sweepPeriodically);
        }
    }

    /** Runs {@code operation} under the lock with a change log, then announces its changes; returns its result. */
    <T> T write(Function<Changes, T> operation) {
        Changes changes = new Changes(this);
        T result;
        long position = 0;
        acquire();
        try {
            if (closed) {
                throw new IllegalStateException("the coordination state is closed");
            }
            if (journal == null) {
                result = operation.apply(changes);
            } else {
                if (journal.failed()) {
                    throw new IllegalStateException("the journal failed: the durable state refuses writes");
                }
                try {
                    result = operation.apply(changes);
                } finally {
                    // even if the operation threw: what it changed in memory must be in the log
                    if (changes.size() > 0) {
                        position = journal.append(changes.subjects(), changes.payloads());
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (position > 0) {
            journal.awaitDurable(position); // group commit (BATCHED); returns at once otherwise
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

    /** The current revision. Under the lock. */
    long revisionLocked() {
        return revision;
    }

    /** Sets the revision (replay). Under the lock. */
    void revisionLocked(long value) {
        revision = value;
    }

    @Override
    public Snapshot snapshot() {
        return read(this::cutLocked).snapshot();
    }

    /**
     * The references a snapshot needs, copied under the lock; {@link Cut#snapshot()} sorts and builds the
     * snapshot after the lock is released, so writers wait only for the copy. Under the lock.
     */
    Cut cutLocked() {
        return new Cut(
                revision,
                now(),
                registry.exportLocked(),
                tasks.exportLocked(),
                leaders.exportLocked(),
                memory.exportLocked(),
                memory.retiredLocked(),
                tasks.lastTokenLocked(),
                memory.versionFloorLocked());
    }

    /** The references copied under the lock for a snapshot. */
    record Cut(
            long revision,
            Instant takenAt,
            List<AgentRecord> agents,
            List<Task> tasks,
            List<Snapshot.LeaderTerm> leaders,
            List<MemoryEntry> memory,
            List<Snapshot.RetiredKey> retired,
            long lastToken,
            long versionFloor) {

        /** Sorts the lists into the canonical order and builds the snapshot. Outside the lock. */
        Snapshot snapshot() {
            leaders.sort(Comparator.comparing(Snapshot.LeaderTerm::group));
            return new Snapshot(revision, takenAt, agents, tasks, leaders, memory, retired, lastToken, versionFloor);
        }
    }

    @Override
    public void restore(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        SnapshotCheck.check(snapshot);
        write(changes -> {
            if (journal != null && snapshot.revision() < revision) {
                throw new IllegalArgumentException("a durable state's revision never goes back: cannot restore"
                        + " revision " + snapshot.revision() + " over revision " + revision
                        + " (restore into a state opened on an empty directory instead)");
            }
            importLocked(snapshot);
            changes.announce("colony.state.restored", revision, "restored", snapshot);
            return null;
        });
    }

    /** Replaces everything with {@code snapshot}, which passed {@link SnapshotCheck}. Under the lock. */
    void importLocked(Snapshot snapshot) {
        registry.importLocked(snapshot.agents());
        tasks.importLocked(snapshot.tasks(), snapshot.lastLeaseToken());
        leaders.importLocked(snapshot.leaders());
        memory.importLocked(snapshot.memory(), snapshot.retiredKeys(), snapshot.memoryVersionFloor());
        revision = snapshot.revision();
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
            tasks.purge(now);
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

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
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
        if (journal != null) {
            journal.close();
        }
    }
}
