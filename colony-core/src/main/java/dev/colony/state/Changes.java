package dev.colony.state;

import dev.colony.bus.EventBus;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The changes one state operation made, recorded under the state lock (each takes the next revision)
 * and announced on the bus after the lock is released, in the order they were made. A durable state
 * journals them under the lock, with any silent changes (journaled, never announced).
 */
final class Changes {
    private final LocalState state;
    private final List<String> subjects = new ArrayList<>(2); // published by text: the bus caches the route
    private final List<StateChange> payloads = new ArrayList<>(2);
    private BitSet silent; // indexes journaled but not announced; null until one is recorded

    Changes(LocalState state) {
        this.state = state;
    }

    /**
     * Records a change of {@code subjectPrefix} (such as {@code colony.task.t-1}); the announcement's
     * subject is the prefix plus {@code .change}, or the prefix alone when {@code change} is the last token
     * already ({@code includeChangeToken} false, for memory keys). Returns the new revision. Under the lock.
     */
    long record(String subjectPrefix, String change, Object value, boolean includeChangeToken) {
        long revision = state.nextRevision();
        subjects.add(includeChangeToken ? subjectPrefix + "." + change : subjectPrefix);
        payloads.add(new StateChange(revision, change, value));
        return revision;
    }

    long record(String subjectPrefix, String change, Object value) {
        return record(subjectPrefix, change, value, true);
    }

    /** Records an announcement of {@code subject} at the current revision, without taking a new one. Under the lock. */
    void announce(String subject, long revision, String change, Object value) {
        subjects.add(subject);
        payloads.add(new StateChange(revision, change, value));
    }

    /**
     * Records, for the journal only, a change that takes no revision and is not announced (a leadership's
     * renewal). Does nothing unless the state is durable. Under the lock.
     */
    void recordSilently(String subject, String change, Object value) {
        if (state.journal == null) {
            return;
        }
        if (silent == null) {
            silent = new BitSet();
        }
        silent.set(subjects.size());
        subjects.add(subject);
        payloads.add(new StateChange(state.revisionLocked(), change, value));
    }

    /** Every recorded subject, announced or silent, in order. */
    List<String> subjects() {
        return subjects;
    }

    /** Every recorded change, announced or silent, in order. */
    List<StateChange> payloads() {
        return payloads;
    }

    int size() {
        return subjects.size();
    }

    /** Publishes every recorded change, in order, and logs the changes of leader. Outside the lock. */
    void publish(EventBus bus) {
        for (int i = 0; i < subjects.size(); i++) {
            if (silent != null && silent.get(i)) {
                continue;
            }
            StateChange change = payloads.get(i);
            if (change.value() instanceof Leadership leadership) {
                LeaderChangeLog.changed(change.change(), leadership);
            }
            bus.publish(subjects.get(i), change);
        }
    }
}
