package dev.colony.snapshot;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import dev.colony.state.Leadership;
import dev.colony.state.MemoryEntry;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a snapshot, written and read field by field (not by data binding) so that it mirrors
 * the binary body exactly: instants as RFC 3339 text, bytes as base64, enums by name. The checksum is
 * that of the binary body of the decoded snapshot.
 */
final class JsonSnapshots {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder UNBASE64 = Base64.getDecoder();

    private JsonSnapshots() {}

    static byte[] write(Snapshot snapshot, int crc) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "colony-snapshot");
        root.put("version", SnapshotCodec.VERSION);
        root.put("crc32c", Integer.toUnsignedLong(crc));
        ObjectNode s = root.putObject("snapshot");
        s.put("revision", snapshot.revision());
        s.put("taken_at", snapshot.takenAt().toString());
        s.put("last_lease_token", snapshot.lastLeaseToken());
        s.put("memory_version_floor", snapshot.memoryVersionFloor());
        ArrayNode agents = s.putArray("agents");
        for (AgentRecord a : snapshot.agents()) {
            ObjectNode n = agents.addObject();
            n.put("id", a.id().value());
            n.put("role", a.role());
            strings(n.putArray("capabilities"), a.capabilities());
            ObjectNode metadata = n.putObject("metadata");
            new TreeMap<>(a.metadata()).forEach(metadata::put);
            n.put("status", a.status().name());
            n.put("registered_at", a.registeredAt().toString());
            n.put("last_heartbeat", a.lastHeartbeat().toString());
        }
        ArrayNode tasks = s.putArray("tasks");
        for (Task t : snapshot.tasks()) {
            ObjectNode n = tasks.addObject();
            TaskSpec spec = t.spec();
            n.put("id", spec.id());
            n.put("type", spec.type());
            n.put("payload", BASE64.encodeToString(spec.payload()));
            n.put("priority", spec.priority());
            strings(n.putArray("required_capabilities"), spec.requiredCapabilities());
            n.put("max_attempts", spec.maxAttempts());
            n.put("status", t.status().name());
            n.put("attempts", t.attempts());
            n.put("holder", t.holder() == null ? null : t.holder().value());
            n.put("lease_token", t.leaseToken());
            n.put("lease_expires_at", text(t.leaseExpiresAt()));
            n.put("not_before", text(t.notBefore()));
            n.put("result", t.result() == null ? null : BASE64.encodeToString(t.result()));
            n.put("last_error", t.lastError());
            n.put("submitted_at", t.submittedAt().toString());
        }
        ArrayNode leaders = s.putArray("leaders");
        for (Snapshot.LeaderTerm g : snapshot.leaders()) {
            ObjectNode n = leaders.addObject();
            n.put("group", g.group());
            n.put("term", g.term());
            if (g.current() == null) {
                n.putNull("current");
            } else {
                ObjectNode c = n.putObject("current");
                c.put("leader", g.current().leader().value());
                c.put("term", g.current().term());
                c.put("expires_at", g.current().expiresAt().toString());
            }
        }
        ArrayNode memory = s.putArray("memory");
        for (MemoryEntry e : snapshot.memory()) {
            ObjectNode n = memory.addObject();
            n.put("namespace", e.namespace());
            n.put("key", e.key());
            n.put("value", BASE64.encodeToString(e.value()));
            n.put("version", e.version());
            n.put("expires_at", text(e.expiresAt()));
        }
        ArrayNode retired = s.putArray("retired_keys");
        for (Snapshot.RetiredKey k : snapshot.retiredKeys()) {
            ObjectNode n = retired.addObject();
            n.put("namespace", k.namespace());
            n.put("key", k.key());
            n.put("last_version", k.lastVersion());
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    static Snapshot read(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new CorruptSnapshotException("snapshot JSON does not parse: " + e.getOriginalMessage());
        }
        if (!"colony-snapshot".equals(root.path("format").asString(null))) {
            throw new CorruptSnapshotException("not a Colony snapshot: \"format\" is not \"colony-snapshot\"");
        }
        int version = root.path("version").asInt(-1);
        if (version != SnapshotCodec.VERSION) {
            throw new CorruptSnapshotException("unsupported snapshot format version " + version + " (this Colony reads "
                    + SnapshotCodec.VERSION + ")");
        }
        if (!root.path("crc32c").isIntegralNumber() || !root.path("crc32c").canConvertToLong()) {
            throw new CorruptSnapshotException("snapshot JSON has no \"crc32c\"");
        }
        long stored = root.path("crc32c").asLong();
        Snapshot snapshot;
        try {
            snapshot = snapshot(field(root, "snapshot"));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException | JacksonException e) {
            throw new CorruptSnapshotException("snapshot content is invalid: " + e.getMessage());
        }
        BodyWriter body = SnapshotBody.encode(snapshot, bytes.length);
        long computed = Integer.toUnsignedLong(SnapshotCodec.crc(body.array(), 0, body.size()));
        if (computed != stored) {
            throw new CorruptSnapshotException(
                    String.format("snapshot checksum mismatch: stored CRC32C %08x, computed %08x", stored, computed));
        }
        return snapshot;
    }

    private static Snapshot snapshot(JsonNode s) {
        List<AgentRecord> agents = new ArrayList<>();
        for (JsonNode n : array(s, "agents")) {
            Map<String, String> metadata = new LinkedHashMap<>();
            JsonNode metadataNode = field(n, "metadata");
            if (!metadataNode.isObject()) {
                throw new CorruptSnapshotException("snapshot JSON \"metadata\" is not an object");
            }
            for (Map.Entry<String, JsonNode> e : metadataNode.properties()) {
                metadata.put(e.getKey(), string(metadataNode, e.getKey()));
            }
            agents.add(new AgentRecord(
                    AgentId.of(string(n, "id")),
                    string(n, "role"),
                    strings(n, "capabilities"),
                    metadata,
                    constant(n, "status", AgentStatus.class),
                    instant(n, "registered_at"),
                    instant(n, "last_heartbeat")));
        }
        List<Task> tasks = new ArrayList<>();
        for (JsonNode n : array(s, "tasks")) {
            TaskSpec spec = new TaskSpec(
                    string(n, "id"),
                    string(n, "type"),
                    base64(n, "payload"),
                    integer(n, "priority"),
                    strings(n, "required_capabilities"),
                    integer(n, "max_attempts"));
            String holder = optionalString(n, "holder");

            tasks.add(new Task(
                    spec,
                    constant(n, "status", TaskStatus.class),
                    integer(n, "attempts"),
                    holder == null ? null : AgentId.of(holder),
                    longInteger(n, "lease_token"),
                    optionalInstant(n, "lease_expires_at"),
                    optionalInstant(n, "not_before"),
                    optionalString(n, "result") == null ? null : base64(n, "result"),
                    optionalString(n, "last_error"),
                    instant(n, "submitted_at")));
        }
        List<Snapshot.LeaderTerm> leaders = new ArrayList<>();
        for (JsonNode n : array(s, "leaders")) {
            JsonNode c = n.path("current");
            String group = string(n, "group");
            Leadership current = c.isObject()
                    ? new Leadership(
                            group, AgentId.of(string(c, "leader")), longInteger(c, "term"), instant(c, "expires_at"))
                    : null;
            leaders.add(new Snapshot.LeaderTerm(group, longInteger(n, "term"), current));
        }
        List<MemoryEntry> memory = new ArrayList<>();
        for (JsonNode n : array(s, "memory")) {
            memory.add(new MemoryEntry(
                    string(n, "namespace"),
                    string(n, "key"),
                    base64(n, "value"),
                    longInteger(n, "version"),
                    optionalInstant(n, "expires_at")));
        }
        List<Snapshot.RetiredKey> retired = new ArrayList<>();
        for (JsonNode n : array(s, "retired_keys")) {
            retired.add(
                    new Snapshot.RetiredKey(string(n, "namespace"), string(n, "key"), longInteger(n, "last_version")));
        }
        return new Snapshot(
                longInteger(s, "revision"),
                instant(s, "taken_at"),
                agents,
                tasks,
                leaders,
                memory,
                retired,
                longInteger(s, "last_lease_token"),
                longInteger(s, "memory_version_floor"));
    }

    private static void strings(ArrayNode array, Set<String> values) {
        values.stream().sorted().forEach(array::add);
    }

    private static Set<String> strings(JsonNode n, String name) {
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode v : array(n, name)) {
            if (!v.isString()) {
                throw new CorruptSnapshotException(
                        "snapshot JSON \"" + name + "\" holds a non-string " + v.getNodeType());
            }
            values.add(v.asString());
        }
        return values;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode value = n.get(name);
        if (value == null || value.isNull()) {
            throw new CorruptSnapshotException("snapshot JSON lacks \"" + name + "\"");
        }
        return value;
    }

    private static Iterable<JsonNode> array(JsonNode n, String name) {
        JsonNode value = field(n, name);
        if (!value.isArray()) {
            throw new CorruptSnapshotException("snapshot JSON \"" + name + "\" is not an array");
        }
        return value;
    }

    private static String string(JsonNode n, String name) {
        JsonNode value = field(n, name);
        if (!value.isString()) {
            throw new CorruptSnapshotException("snapshot JSON \"" + name + "\" is not a string: " + shown(value));
        }
        return value.asString();
    }

    private static String optionalString(JsonNode n, String name) {
        JsonNode value = n.get(name);
        return value == null || value.isNull() ? null : string(n, name);
    }

    private static <E extends Enum<E>> E constant(JsonNode n, String name, Class<E> type) {
        String text = string(n, name);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        throw new CorruptSnapshotException("snapshot JSON \"" + name + "\" is not one of "
                + Arrays.toString(type.getEnumConstants()) + ": " + shown(n.get(name)));
    }

    private static byte[] base64(JsonNode n, String name) {
        String text = string(n, name);
        try {
            return UNBASE64.decode(text);
        } catch (IllegalArgumentException e) {
            throw new CorruptSnapshotException("snapshot JSON \"" + name + "\" is not base64: " + shown(n.get(name)));
        }
    }

    private static int integer(JsonNode n, String name) {
        JsonNode value = field(n, name);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new CorruptSnapshotException(
                    "snapshot JSON \"" + name + "\" is not a 32-bit integer: " + shown(value));
        }
        return value.intValue();
    }

    private static long longInteger(JsonNode n, String name) {
        JsonNode value = field(n, name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new CorruptSnapshotException(
                    "snapshot JSON \"" + name + "\" is not a 64-bit integer: " + shown(value));
        }
        return value.longValue();
    }

    /** A bad value for a message: its JSON text, cut short. */
    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static Instant instant(JsonNode n, String name) {
        String text = string(n, name);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new CorruptSnapshotException(
                    "snapshot JSON \"" + name + "\" is not an RFC 3339 instant: " + shown(n.get(name)));
        }
    }

    private static Instant optionalInstant(JsonNode n, String name) {
        return optionalString(n, name) == null ? null : instant(n, name);
    }
}
