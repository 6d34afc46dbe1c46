package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The binary body of a snapshot, version 1: fields in a fixed order, big-endian, strings and byte arrays
 * length-prefixed (-1 for null), instants as seconds and nanoseconds, enums by ordinal, sets and maps
 * sorted so equal states give equal bytes. Decoding rebuilds every record through its validating
 * constructor, so invalid content fails as a {@link CorruptSnapshotException}, never as a half-built state.
 */
final class SnapshotBody {
    private static final AgentStatus[] AGENT_STATUSES = AgentStatus.values();
    private static final TaskStatus[] TASK_STATUSES = TaskStatus.values();

    private SnapshotBody() {}

    /**
     * A first buffer size for {@code snapshot}'s body, from its counts and typical record sizes, so the
     * buffer rarely grows (each growth copies everything written so far).
     */
    static int estimateSize(Snapshot snapshot) {
        long estimate = 64
                + 160L * snapshot.agents().size()
                + 192L * snapshot.tasks().size()
                + 64L * snapshot.leaders().size()
                + 192L * snapshot.memory().size()
                + 48L * snapshot.retiredKeys().size();
        return (int) Math.min(estimate, 1 << 30);
    }

    static BodyWriter encode(Snapshot snapshot, int sizeHint) {
        BodyWriter out = new BodyWriter(sizeHint);
        putSnapshot(out, snapshot);
        return out;
    }

    /** Appends {@code snapshot}'s body to {@code out}. */
    static void putSnapshot(BodyWriter out, Snapshot snapshot) {
        out.putLong(snapshot.revision());
        out.putInstant(snapshot.takenAt());
        out.putLong(snapshot.lastLeaseToken());
        out.putLong(snapshot.memoryVersionFloor());
        out.putInt(snapshot.agents().size());
        for (AgentRecord agent : snapshot.agents()) {
            putAgent(out, agent);
        }
        out.putInt(snapshot.tasks().size());
        for (Task task : snapshot.tasks()) {
            putTask(out, task);
        }
        out.putInt(snapshot.leaders().size());
        for (Snapshot.LeaderTerm group : snapshot.leaders()) {
            out.putString(group.group());
            out.putLong(group.term());
            Leadership current = group.current();
            out.putBoolean(current != null);
            if (current != null) {
                putLeadershipFields(out, current);
            }
        }
        out.putInt(snapshot.memory().size());
        for (MemoryEntry entry : snapshot.memory()) {
            putMemoryEntry(out, entry);
        }
        out.putInt(snapshot.retiredKeys().size());
        for (Snapshot.RetiredKey key : snapshot.retiredKeys()) {
            out.putString(key.namespace());
            out.putString(key.key());
            out.putLong(key.lastVersion());
        }
    }

    static void putAgent(BodyWriter out, AgentRecord agent) {
        out.putString(agent.id().value());
        out.putString(agent.role());
        putStrings(out, agent.capabilities());
        putMap(out, agent.metadata());
        out.putByte(agent.status().ordinal());
        out.putInstant(agent.registeredAt());
        out.putInstant(agent.lastHeartbeat());
    }

    static void putTask(BodyWriter out, Task task) {
        TaskSpec spec = task.spec();
        out.putString(spec.id());
        out.putString(spec.type());
        out.putBytes(spec.payload());
        out.putByte(spec.priority());
        putStrings(out, spec.requiredCapabilities());
        out.putInt(spec.maxAttempts());
        out.putByte(task.status().ordinal());
        out.putInt(task.attempts());
        out.putString(task.holder() == null ? null : task.holder().value());
        out.putLong(task.leaseToken());
        out.putInstant(task.leaseExpiresAt());
        out.putInstant(task.notBefore());
        out.putBytes(task.result());
        out.putString(task.lastError());
        out.putInstant(task.submittedAt());
    }

    /** A leadership without its group (a snapshot's group carries it). */
    static void putLeadershipFields(BodyWriter out, Leadership leadership) {
        out.putString(leadership.leader().value());
        out.putLong(leadership.term());
        out.putInstant(leadership.expiresAt());
    }

    static void putMemoryEntry(BodyWriter out, MemoryEntry entry) {
        out.putString(entry.namespace());
        out.putString(entry.key());
        out.putValue(entry);
        out.putLong(entry.version());
        out.putInstant(entry.expiresAt());
    }

    private static void putStrings(BodyWriter out, Set<String> values) {
        out.putInt(values.size());
        if (values.size() == 1) {
            out.putString(values.iterator().next());
            return;
        }
        String[] sorted = values.toArray(String[]::new);
        Arrays.sort(sorted);
        for (String value : sorted) {
            out.putString(value);
        }
    }

    private static void putMap(BodyWriter out, Map<String, String> map) {
        out.putInt(map.size());
        if (map.size() == 1) {
            Map.Entry<String, String> only = map.entrySet().iterator().next();
            out.putString(only.getKey());
            out.putString(only.getValue());
            return;
        }
        String[] keys = map.keySet().toArray(String[]::new);
        Arrays.sort(keys);
        for (String key : keys) {
            out.putString(key);
            out.putString(map.get(key));
        }
    }

    static Snapshot decode(byte[] bytes, int offset, int length) {
        BodyReader in = new BodyReader(bytes, offset, length);
        try {
            Snapshot snapshot = getSnapshot(in);
            in.expectEnd();
            return snapshot;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CorruptSnapshotException("snapshot content is invalid: " + e.getMessage());
        }
    }

    /**
     * Reads what {@link #putSnapshot} wrote; invalid content throws IllegalArgumentException, NPE or
     * {@link CorruptSnapshotException}.
     */
    static Snapshot getSnapshot(BodyReader in) {
        long revision = in.getLong();
        Instant takenAt = required(in.getInstant(), "takenAt");
        long lastLeaseToken = in.getLong();
        long memoryVersionFloor = in.getLong();
        int agentCount = in.getCount(8);
        List<AgentRecord> agents = new ArrayList<>(agentCount);
        for (int i = 0; i < agentCount; i++) {
            agents.add(getAgent(in));
        }
        int taskCount = in.getCount(8);
        List<Task> tasks = new ArrayList<>(taskCount);
        for (int i = 0; i < taskCount; i++) {
            tasks.add(getTask(in));
        }
        int groupCount = in.getCount(8);
        List<Snapshot.LeaderTerm> leaders = new ArrayList<>(groupCount);
        for (int i = 0; i < groupCount; i++) {
            String group = in.getString();
            long term = in.getLong();
            Leadership current = in.getBoolean() ? getLeadershipFields(in, group) : null;
            leaders.add(new Snapshot.LeaderTerm(group, term, current));
        }
        int entryCount = in.getCount(8);
        List<MemoryEntry> memory = new ArrayList<>(entryCount);
        for (int i = 0; i < entryCount; i++) {
            memory.add(getMemoryEntry(in));
        }
        int retiredCount = in.getCount(8);
        List<Snapshot.RetiredKey> retired = new ArrayList<>(retiredCount);
        for (int i = 0; i < retiredCount; i++) {
            retired.add(new Snapshot.RetiredKey(in.getString(), in.getString(), in.getLong()));
        }
        return new Snapshot(
                revision, takenAt, agents, tasks, leaders, memory, retired, lastLeaseToken, memoryVersionFloor);
    }

    /** Reads what {@link #putAgent} wrote; an invalid record throws IllegalArgumentException or NPE. */
    static AgentRecord getAgent(BodyReader in) {
        return new AgentRecord(
                AgentId.of(in.getString()),
                in.getString(),
                getStrings(in),
                getMap(in),
                AGENT_STATUSES[ordinal(in.getByte(), AGENT_STATUSES.length, "agent status")],
                required(in.getInstant(), "registeredAt"),
                required(in.getInstant(), "lastHeartbeat"));
    }

    static Task getTask(BodyReader in) {
        TaskSpec spec =
                new TaskSpec(in.getString(), in.getString(), in.getBytes(), in.getByte(), getStrings(in), in.getInt());
        TaskStatus status = TASK_STATUSES[ordinal(in.getByte(), TASK_STATUSES.length, "task status")];
        int attempts = in.getInt();
        String holder = in.getString();
        return new Task(
                spec,
                status,
                attempts,
                holder == null ? null : AgentId.of(holder),
                in.getLong(),
                in.getInstant(),
                in.getInstant(),
                in.getBytes(),
                in.getString(),
                required(in.getInstant(), "submittedAt"));
    }

    static Leadership getLeadershipFields(BodyReader in, String group) {
        return new Leadership(group, AgentId.of(in.getString()), in.getLong(), required(in.getInstant(), "expiresAt"));
    }

    static MemoryEntry getMemoryEntry(BodyReader in) {
        return new MemoryEntry(in.getString(), in.getString(), in.getBytes(), in.getLong(), in.getInstant());
    }

    private static Set<String> getStrings(BodyReader in) {
        int count = in.getCount(4);
        Set<String> values = new LinkedHashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
            values.add(in.getString());
        }
        return values;
    }

    private static Map<String, String> getMap(BodyReader in) {
        int count = in.getCount(8);
        Map<String, String> map = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            map.put(in.getString(), in.getString());
        }
        return map;
    }

    private static int ordinal(int value, int limit, String what) {
        if (value >= limit) {
            throw new CorruptSnapshotException("invalid " + what + " " + value);
        }
        return value;
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new CorruptSnapshotException("snapshot lacks " + what);
        }
        return value;
    }
}
