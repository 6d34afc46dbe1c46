package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import dev.colony.state.Leadership;
import dev.colony.state.MemoryEntry;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state's records as Redis hashes (field names in docs/redis-protocol.md): decoding the HGETALL form
 * the scripts return, and encoding the field/value pairs a restore writes. Times are milliseconds since
 * the epoch; capabilities are sorted and comma-joined; agent metadata is a JSON object. A hash that does
 * not decode (a field missing or malformed: data Colony did not write) is a {@link RedisStateException}
 * naming the record and the field.
 */
final class RedisStateCodec {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, String>> META = new TypeReference<>() {};

    /**
     * Decoded task specs and memory entries, reused when the same content is decoded again (bounded, least
     * recently used out): records holding bytes compare their arrays by identity, so this keeps a task
     * claimed and then read, or an entry written and then announced expired, equal as they are in the
     * embedded state. A hit requires equal content, so a stale or foreign cache entry is never returned.
     */
    private static final Map<String, TaskSpec> SPECS = lru();

    private static final Map<String, MemoryEntry> ENTRIES = lru();

    private static final int CACHED = 4096;

    private RedisStateCodec() {}

    private static <V> Map<String, V> lru() {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHED;
            }
        });
    }

    private static TaskSpec intern(TaskSpec spec) {
        TaskSpec cached = SPECS.get(spec.id());
        if (cached != null
                && cached.type().equals(spec.type())
                && cached.priority() == spec.priority()
                && cached.maxAttempts() == spec.maxAttempts()
                && cached.requiredCapabilities().equals(spec.requiredCapabilities())
                && java.util.Arrays.equals(cached.payload(), spec.payload())) {
            return cached;
        }
        SPECS.put(spec.id(), spec);
        return spec;
    }

    private static MemoryEntry intern(MemoryEntry entry) {
        String id = entry.namespace() + "." + entry.key();
        MemoryEntry cached = ENTRIES.get(id);
        if (cached != null
                && cached.version() == entry.version()
                && Objects.equals(cached.expiresAt(), entry.expiresAt())
                && java.util.Arrays.equals(cached.value(), entry.value())) {
            return cached;
        }
        ENTRIES.put(id, entry);
        return entry;
    }

    /** The text of a reply element. */
    static String text(Object element) {
        return element == null ? null : new String((byte[]) element, StandardCharsets.UTF_8);
    }

    static long number(Object element) {
        return element instanceof Long l ? l : Long.parseLong(text(element));
    }

    /** A hash in HGETALL form (alternating fields and values) as a map; empty for a missing hash. */
    @SuppressWarnings("unchecked")
    static Map<String, byte[]> hash(Object reply) {
        if (reply instanceof Map<?, ?> map) {
            return (Map<String, byte[]>) map;
        }
        List<?> flat = (List<?>) reply;
        Map<String, byte[]> map = new HashMap<>(flat.size());
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(text(flat.get(i)), (byte[]) flat.get(i + 1));
        }
        return map;
    }

    /** A hash read by the state, with checked access to its fields. */
    record Fields(String what, Map<String, byte[]> map) {
        String text(String field) {
            byte[] value = map.get(field);
            if (value == null) {
                throw corrupt("lacks field \"" + field + "\"");
            }
            return new String(value, StandardCharsets.UTF_8);
        }

        String optionalText(String field) {
            return map.containsKey(field) ? text(field) : null;
        }

        byte[] bytes(String field) {
            byte[] value = map.get(field);
            if (value == null) {
                throw corrupt("lacks field \"" + field + "\"");
            }
            return value;
        }

        long number(String field) {
            String value = text(field);
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw corrupt("field \"" + field + "\" is not a whole number: \"" + shorten(value) + "\"");
            }
        }

        Instant instant(String field) {
            return Instant.ofEpochMilli(number(field));
        }

        Instant optionalInstant(String field) {
            return map.containsKey(field) ? instant(field) : null;
        }

        <E extends Enum<E>> E status(String field, Class<E> type) {
            String value = text(field);
            try {
                return Enum.valueOf(type, value);
            } catch (IllegalArgumentException e) {
                throw corrupt(
                        "field \"" + field + "\" is not a " + type.getSimpleName() + ": \"" + shorten(value) + "\"");
            }
        }

        RedisStateException corrupt(String problem) {
            return new RedisStateException("corrupt coordination state in Redis: " + what + " " + problem);
        }
    }

    private static Fields fields(String what, Object reply) {
        return new Fields(what, hash(reply));
    }

    static Set<String> capabilities(String joined) {
        Set<String> capabilities = new TreeSet<>();
        if (!joined.isEmpty()) {
            capabilities.addAll(List.of(joined.split(",")));
        }
        return capabilities;
    }

    static String join(Set<String> capabilities) {
        return String.join(",", new TreeSet<>(capabilities));
    }

    static String metadata(Map<String, String> metadata) {
        return JSON.writeValueAsString(new TreeMap<>(metadata));
    }

    static AgentRecord agent(Object reply) {
        Fields f = fields("an agent hash", reply);
        f = new Fields("agent hash \"" + f.optionalText("id") + "\"", f.map());
        try {
            Map<String, String> meta = JSON.readValue(f.text("meta"), META);
            return new AgentRecord(
                    AgentId.of(f.text("id")),
                    f.text("role"),
                    capabilities(f.text("caps")),
                    meta,
                    f.status("status", AgentStatus.class),
                    f.instant("reg"),
                    f.instant("hb"));
        } catch (JacksonException e) {
            throw f.corrupt("field \"meta\" is not a JSON object of strings: " + e.getOriginalMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw f.corrupt("does not make a valid agent: " + e.getMessage());
        }
    }

    static Task task(Object reply) {
        Fields f = fields("a task hash", reply);
        f = new Fields("task hash \"" + f.optionalText("id") + "\"", f.map());
        try {
            TaskSpec spec = intern(new TaskSpec(
                    f.text("id"),
                    f.text("type"),
                    f.bytes("payload"),
                    (int) f.number("prio"),
                    capabilities(f.text("caps")),
                    (int) f.number("max")));
            String holder = f.optionalText("holder");
            return new Task(
                    spec,
                    f.status("status", TaskStatus.class),
                    (int) f.number("att"),
                    holder == null ? null : AgentId.of(holder),
                    f.map().containsKey("token") ? f.number("token") : 0,
                    f.optionalInstant("lexp"),
                    f.optionalInstant("nb"),
                    f.map().get("result"),
                    f.optionalText("err"),
                    f.instant("sub"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw f.corrupt("does not make a valid task: " + e.getMessage());
        }
    }

    static Leadership leadership(Object reply) {
        Fields f = fields("a leadership hash", reply);
        f = new Fields("leadership hash of group \"" + f.optionalText("group") + "\"", f.map());
        try {
            return new Leadership(f.text("group"), AgentId.of(f.text("leader")), f.number("term"), f.instant("exp"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw f.corrupt("does not make a valid leadership: " + e.getMessage());
        }
    }

    static MemoryEntry memory(Object reply) {
        Fields f = fields("a memory hash", reply);
        f = new Fields("memory hash \"" + f.optionalText("ns") + "." + f.optionalText("key") + "\"", f.map());
        try {
            return intern(new MemoryEntry(
                    f.text("ns"), f.text("key"), f.bytes("val"), f.number("v"), f.optionalInstant("exp")));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw f.corrupt("does not make a valid memory entry: " + e.getMessage());
        }
    }

    /** Decodes a change's record by its kind. */
    static Object record(String kind, Object reply) {
        return switch (kind) {
            case "agent" -> agent(reply);
            case "task" -> task(reply);
            case "leader" -> leadership(reply);
            case "memory" -> memory(reply);
            default -> throw new RedisStateException("a state script announced a change of unknown kind " + kind);
        };
    }

    // ---- restore: records as the field/value pairs the scripts write (seq is added by the script) ----

    static List<Object> pairs(AgentRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().value());
        m.put("role", a.role());
        m.put("caps", join(a.capabilities()));
        m.put("meta", metadata(a.metadata()));
        m.put("status", a.status().name());
        m.put("reg", a.registeredAt().toEpochMilli());
        m.put("hb", a.lastHeartbeat().toEpochMilli());
        return flatten(m);
    }

    static List<Object> pairs(Task t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("type", t.spec().type());
        m.put("payload", t.spec().payload());
        m.put("prio", t.spec().priority());
        m.put("caps", join(t.spec().requiredCapabilities()));
        m.put("max", t.spec().maxAttempts());
        m.put("status", t.status().name());
        m.put("att", t.attempts());
        if (t.holder() != null) {
            m.put("holder", t.holder().value());
        }
        if (t.leaseToken() != 0) {
            m.put("token", t.leaseToken());
        }
        if (t.leaseExpiresAt() != null) {
            m.put("lexp", t.leaseExpiresAt().toEpochMilli());
        }
        if (t.notBefore() != null) {
            m.put("nb", t.notBefore().toEpochMilli());
        }
        if (t.result() != null) {
            m.put("result", t.result());
        }
        if (t.lastError() != null) {
            m.put("err", t.lastError());
        }
        m.put("sub", t.submittedAt().toEpochMilli());
        return flatten(m);
    }

    static List<Object> pairs(MemoryEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ns", e.namespace());
        m.put("key", e.key());
        m.put("val", e.value());
        m.put("v", e.version());
        if (e.expiresAt() != null) {
            m.put("exp", e.expiresAt().toEpochMilli());
        }
        return flatten(m);
    }

    /** A count followed by the pairs. */
    static List<Object> flatten(Map<String, Object> fields) {
        List<Object> out = new ArrayList<>(1 + 2 * fields.size());
        out.add(fields.size());
        fields.forEach((k, v) -> {
            out.add(k);
            out.add(v);
        });
        return out;
    }

    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
