package dev.colony.state;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A consistent cut of a colony's whole coordination state: what existed at one revision.
 *
 * <p>Lists are in the state's own order (agents by registration, tasks by submission, memory entries by
 * key creation, retired keys by retirement; groups sorted), which a restore recreates, so a restored state
 * encodes to the same bytes as the one the snapshot was taken from. Records holding bytes (task
 * payloads, memory values) compare arrays by identity: compare snapshots by their encoding.
 *
 * @param revision the state's revision: the number of changes before this cut
 * @param takenAt when it was taken, by the state's clock
 * @param agents the registry
 * @param tasks every task, final ones included
 * @param leaders every election group with its latest term and current leadership
 * @param memory the live shared-memory entries
 * @param retiredKeys deleted or expired memory keys with the last version they had, so versions are not
 *     reused after a restore
 * @param lastLeaseToken the last lease token handed out, so tokens keep growing after a restore
 * @param memoryVersionFloor the version every memory key without an entry or retired version starts above
 *     (raised when old retired keys are forgotten), so versions are not reused after a restore
 */
public record Snapshot(
        long revision,
        Instant takenAt,
        List<AgentRecord> agents,
        List<Task> tasks,
        List<LeaderTerm> leaders,
        List<MemoryEntry> memory,
        List<RetiredKey> retiredKeys,
        long lastLeaseToken,
        long memoryVersionFloor) {

    public Snapshot {
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative, got " + revision);
        }
        Objects.requireNonNull(takenAt, "takenAt");
        agents = List.copyOf(agents);
        tasks = List.copyOf(tasks);
        leaders = List.copyOf(leaders);
        memory = List.copyOf(memory);
        retiredKeys = List.copyOf(retiredKeys);
    }

    /**
     * An election group in a snapshot.
     *
     * @param group the group
     * @param term its latest term
     * @param current its leadership at the cut, or null (none, resigned, or lapsed and swept)
     */
    public record LeaderTerm(String group, long term, Leadership current) {
        public LeaderTerm {
            Objects.requireNonNull(group, "group");
        }
    }

    /**
     * A memory key that has no entry now but had versions before.
     *
     * @param namespace the namespace
     * @param key the key
     * @param lastVersion the last version it had
     */
    public record RetiredKey(String namespace, String key, long lastVersion) {
        public RetiredKey {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(key, "key");
        }
    }
}
