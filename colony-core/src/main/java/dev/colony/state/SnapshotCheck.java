package dev.colony.state;

import dev.colony.messaging.AgentId;
import dev.colony.snapshot.Snapshot;
import java.util.HashSet;
import java.util.Set;

/**
 * The cross-record rules of a snapshot (no agent, task, group or memory key twice; claimed tasks hold a
 * lease no newer than the last one handed out; unclaimed ones hold none; names are valid tokens), checked
 * before a restore touches anything, so a restore either replaces the whole state or changes nothing.
 * (Each record validated its own fields when it was built.)
 *
 * <p>Every restore runs this check, and so does {@link dev.colony.snapshot.SnapshotCodec#decode}: a file
 * that decodes is a file that restores, so {@code colony snapshot verify} and a restore never disagree.
 */
public final class SnapshotCheck {
    private SnapshotCheck() {}

    /**
     * Checks {@code snapshot}'s cross-record rules.
     *
     * @throws IllegalArgumentException naming the first broken rule
     */
    public static void check(Snapshot snapshot) {
        Set<AgentId> agents = new HashSet<>();
        for (AgentRecord agent : snapshot.agents()) {
            require(agents.add(agent.id()), "agent \"" + agent.id() + "\" appears twice");
        }
        Set<String> tasks = new HashSet<>();
        for (Task task : snapshot.tasks()) {
            require(tasks.add(task.id()), "task \"" + task.id() + "\" appears twice");
            require(
                    task.attempts() >= 0 && task.attempts() <= task.spec().maxAttempts(),
                    "task \"" + task.id() + "\" has " + task.attempts() + " attempts of "
                            + task.spec().maxAttempts());
            if (task.status() == TaskStatus.CLAIMED) {
                require(
                        task.holder() != null && task.leaseExpiresAt() != null && task.leaseToken() > 0,
                        "claimed task \"" + task.id() + "\" lacks its holder, lease token or expiry");
                require(
                        task.leaseToken() <= snapshot.lastLeaseToken(),
                        "claimed task \"" + task.id()
                                + "\" has lease token " + task.leaseToken() + " above the last one handed out, "
                                + snapshot.lastLeaseToken());
            } else {
                require(
                        task.holder() == null && task.leaseExpiresAt() == null,
                        task.status() + " task \"" + task.id() + "\" has a lease holder or expiry");
            }
        }
        Set<String> groups = new HashSet<>();
        for (Snapshot.LeaderTerm group : snapshot.leaders()) {
            Names.token(group.group(), "group");
            require(groups.add(group.group()), "group \"" + group.group() + "\" appears twice");
            require(group.term() >= 0, "group \"" + group.group() + "\" has a negative term");
            if (group.current() != null) {
                require(
                        group.current().group().equals(group.group())
                                && group.current().term() == group.term(),
                        "group \"" + group.group() + "\" has a leadership of another group or term");
            }
        }
        Set<String> keys = new HashSet<>();
        for (MemoryEntry entry : snapshot.memory()) {
            require(
                    keys.add(entry.namespace() + "." + entry.key()),
                    "memory key \"" + entry.namespace() + "." + entry.key() + "\" appears twice");
        }
        for (Snapshot.RetiredKey key : snapshot.retiredKeys()) {
            Names.token(key.namespace(), "namespace");
            Names.key(key.key());
            require(
                    keys.add(key.namespace() + "." + key.key()),
                    "memory key \"" + key.namespace() + "." + key.key()
                            + "\" is both live and retired, or retired twice");
        }
        require(
                snapshot.lastLeaseToken() >= 0 && snapshot.memoryVersionFloor() >= 0,
                "negative lease token or version floor");
    }

    private static void require(boolean rule, String broken) {
        if (!rule) {
            throw new IllegalArgumentException("inconsistent snapshot: " + broken);
        }
    }
}
