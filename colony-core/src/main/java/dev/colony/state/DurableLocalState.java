package dev.colony.state;

import dev.colony.bus.EventBus;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded state with a journal and checkpoints.
 *
 * <p>Recovery: load the newest snapshot that decodes, then replay, in journal order, every record whose
 * revision is at least the snapshot's. Records are images (the item after the change), so replaying one
 * the snapshot already holds changes nothing; records at the snapshot's own revision must be replayed,
 * because silent changes (leadership renewals) take no revision and may follow the snapshot. A record
 * more than one revision ahead (other than a restore) means a segment is missing: refused.
 *
 * <p>Checkpoint: under the lock, take the cut and start a new journal segment; outside it, save the
 * snapshot and delete the older segments. A crash in between leaves the older segments, which the older
 * snapshot still needs.
 */
final class DurableLocalState extends LocalState implements DurableState {
    private final Durability durability;
    private final SnapshotStore store;
    private final Object checkpointing = new Object();

    private DurableLocalState(EventBus bus, StateOptions options, Durability durability, Journal journal) {
        super(bus, options, journal);
        this.durability = durability;
        this.store = SnapshotStore.open(durability.directory());
    }

    static DurableLocalState open(EventBus bus, StateOptions options, Durability durability) {
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(durability, "durability");
        Journal journal = Journal.open(durability);
        DurableLocalState state;
        try {
            state = new DurableLocalState(bus, options, durability, journal);
            state.recover(state.store.latest());
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        state.startSweeper();
        return state;
    }

    private void recover(Optional<Snapshot> base) {
        lock.lock();
        try {
            if (base.isPresent()) {
                SnapshotCheck.check(base.get());
                importLocked(base.get());
            }
            for (Journal.Entry entry : journal.recovered()) {
                StateChange change = entry.change();
                long current = revisionLocked();
                if (change.revision() < current) {
                    continue;
                }
                if (change.revision() > current + 1 && !(change.value() instanceof Snapshot)) {
                    throw new CorruptJournalException("the journal in " + durability.directory() + " misses revisions "
                            + (current + 1) + " to " + (change.revision() - 1)
                            + " (a deleted segment, or a damaged snapshot that the deleted segments relied on)");
                }
                applyLocked(change);
            }
            journal.resume(revisionLocked() + 1);
        } finally {
            lock.unlock();
        }
    }

    /** Replays one journaled change, without journaling or announcing it. Under the lock. */
    private void applyLocked(StateChange change) {
        switch (change.value()) {
            case AgentRecord agent -> registry.applyLocked(change.change(), agent);
            case Task task -> tasks.applyLocked(task);
            case Leadership leadership -> leaders.applyLocked(change.change(), leadership);
            case MemoryEntry entry -> memory.applyLocked(change.change(), entry);
            case Snapshot snapshot -> {
                SnapshotCheck.check(snapshot);
                importLocked(snapshot);
            }
            default -> throw new CorruptJournalException("a journaled change has no known item: " + change);
        }
        revisionLocked(change.revision());
    }

    @Override
    public Path checkpoint() {
        synchronized (checkpointing) {
            Cut cut;
            lock.lock();
            try {
                if (isClosed()) {
                    throw new IllegalStateException("the coordination state is closed");
                }
                cut = cutLocked();
                journal.roll(cut.revision() + 1);
            } finally {
                lock.unlock();
            }
            Path file = store.save(cut.snapshot(), SnapshotFormat.BINARY, false, null);
            journal.deleteOldSegments();
            return file;
        }
    }

    @Override
    public Durability durability() {
        return durability;
    }
}
