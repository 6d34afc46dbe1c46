package dev.colony.redis;

import dev.colony.state.TaskRetention;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a node's {@link TaskRetention} as its swarm's: the hash {@code S retention} ({@code okKeep},
 * {@code okAge} for COMPLETED tasks, {@code koKeep}, {@code koAge} for DEAD and CANCELLED ones, ages in ms;
 * an absent field is no limit), which every script that finishes a task, and the sweep, reads (ADR 0035).
 * The node opened last decides; replacing a different policy is logged.
 */
final class RedisTaskRetention {
    private static final System.Logger LOG = System.getLogger("dev.colony.redis");

    private RedisTaskRetention() {}

    static void write(RedisLinkConnection<String, byte[]> connection, String prefix, TaskRetention retention) {
        Map<String, String> fields = new TreeMap<>();
        put(fields, "ok", retention.completed());
        put(fields, "ko", retention.failed());
        String key = prefix + "retention";
        Map<String, String> before = new TreeMap<>();
        RedisState.await(connection.async().hgetall(key))
                .forEach((field, value) -> before.put(field, new String(value, StandardCharsets.UTF_8)));
        RedisState.await(connection.async().del(key));
        if (!fields.isEmpty()) {
            Map<String, byte[]> values = new LinkedHashMap<>();
            fields.forEach((field, value) -> values.put(field, value.getBytes(StandardCharsets.UTF_8)));
            RedisState.await(connection.async().hset(key, values));
        }
        if (!before.isEmpty() && !before.equals(fields)) {
            LOG.log(Level.WARNING, "task retention of {0} changed from {1} to {2}", prefix, before, fields);
        }
    }

    private static void put(Map<String, String> fields, String kind, TaskRetention.Keep keep) {
        if (keep.count() != Long.MAX_VALUE) {
            fields.put(kind + "Keep", Long.toString(keep.count()));
        }
        if (keep.age() != null) {
            fields.put(kind + "Age", Long.toString(RedisState.millis(keep.age())));
        }
    }
}
