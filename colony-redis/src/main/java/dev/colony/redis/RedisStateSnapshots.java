package dev.colony.redis;

import dev.colony.state.AgentRecord;
import dev.colony.state.Leadership;
import dev.colony.state.MemoryEntry;
import dev.colony.state.Snapshot;
import dev.colony.state.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots of the Redis state: {@code state_snapshot} reads everything at one revision in one script,
 * decoded here into the same {@link Snapshot} the embedded state produces (so every snapshot tool reads
 * it); {@code state_restore} replaces everything in one script from the arguments encoded here.
 */
final class RedisStateSnapshots {
    private RedisStateSnapshots() {}

    static Snapshot decode(List<?> reply, Instant takenAt) {
        long revision = RedisStateCodec.number(reply.get(0));
        long lastToken = RedisStateCodec.number(reply.get(1));
        long floor = RedisStateCodec.number(reply.get(2));
        List<AgentRecord> agents = new ArrayList<>();
        for (Object hash : RedisState.list(reply.get(3))) {
            agents.add(RedisStateCodec.agent(hash));
        }
        List<Task> tasks = new ArrayList<>();
        for (Object hash : RedisState.list(reply.get(4))) {
            tasks.add(RedisStateCodec.task(hash));
        }
        List<Snapshot.LeaderTerm> leaders = new ArrayList<>();
        for (Object item : RedisState.list(reply.get(5))) {
            List<?> group = (List<?>) item;
            List<?> current = RedisState.list(group.get(2));
            Leadership leadership = current.isEmpty() ? null : RedisStateCodec.leadership(current);
            leaders.add(new Snapshot.LeaderTerm(
                    RedisStateCodec.text(group.get(0)), RedisStateCodec.number(group.get(1)), leadership));
        }
        leaders.sort(Comparator.comparing(Snapshot.LeaderTerm::group));
        List<MemoryEntry> memory = new ArrayList<>();
        for (Object hash : RedisState.list(reply.get(6))) {
            memory.add(RedisStateCodec.memory(hash));
        }
        List<Snapshot.RetiredKey> retired = new ArrayList<>();
        for (Object item : RedisState.list(reply.get(7))) {
            List<?> key = (List<?>) item;
            String id = RedisStateCodec.text(key.get(0));
            int dot = id.indexOf('.');
            if (dot < 1) {
                throw new RedisStateException(
                        "corrupt coordination state in Redis: retired memory key \"" + id + "\" has no namespace");
            }
            retired.add(new Snapshot.RetiredKey(
                    id.substring(0, dot), id.substring(dot + 1), RedisStateCodec.number(key.get(1))));
        }
        return new Snapshot(revision, takenAt, agents, tasks, leaders, memory, retired, lastToken, floor);
    }

    /** The arguments of {@code state_restore} after now: revision, token, floor and the five sections. */
    static List<Object> encode(Snapshot snapshot) {
        List<Object> args = new ArrayList<>();
        args.add(snapshot.revision());
        args.add(snapshot.lastLeaseToken());
        args.add(snapshot.memoryVersionFloor());
        args.add(snapshot.agents().size());
        snapshot.agents().forEach(a -> args.addAll(RedisStateCodec.pairs(a)));
        args.add(snapshot.tasks().size());
        snapshot.tasks().forEach(t -> args.addAll(RedisStateCodec.pairs(t)));
        args.add(snapshot.leaders().size());
        for (Snapshot.LeaderTerm group : snapshot.leaders()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", group.group());
            m.put("term", group.term());
            if (group.current() != null) {
                m.put("leader", group.current().leader().value());
                m.put("exp", group.current().expiresAt().toEpochMilli());
            }
            args.addAll(RedisStateCodec.flatten(m));
        }
        args.add(snapshot.memory().size());
        snapshot.memory().forEach(e -> args.addAll(RedisStateCodec.pairs(e)));
        args.add(snapshot.retiredKeys().size());
        for (Snapshot.RetiredKey key : snapshot.retiredKeys()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", key.namespace() + "." + key.key());
            m.put("v", key.lastVersion());
            args.addAll(RedisStateCodec.flatten(m));
        }
        return args;
    }
}
