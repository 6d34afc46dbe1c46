package dev.colony.wasm;

import dev.colony.state.AgentChooser.Candidate;
import dev.colony.state.AgentRecord;
import dev.colony.state.TaskSpec;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON a scorer plugin reads, streamed with Jackson's generator: compact, fields in the documented order
 * (docs/plugins.md), capabilities and metadata sorted. A scorer encodes every candidate on every call, and this
 * encoding, not the plugin call, is most of a scorer's cost (docs/benchmarks/plugins.md): a Jackson tree of
 * maps cost several times more than streaming the fields.
 */
final class ScorerJson {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] NONE = new String[0];

    private ScorerJson() {}

    /** {@code {"id","type","priority","required":[...],"payload_bytes"}}. */
    static byte[] task(TaskSpec task) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("id", task.id());
            g.writeStringProperty("type", task.type());
            g.writeNumberProperty("priority", task.priority());
            g.writeName("required");
            strings(g, task.requiredCapabilities());
            g.writeNumberProperty("payload_bytes", task.payloadSize());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** {@code {"leases":N,"id","role","capabilities":[...],"status","metadata":{...}}}: the load first. */
    static byte[] candidate(Candidate candidate) {
        AgentRecord agent = candidate.agent();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberProperty("leases", candidate.leases());
            g.writeStringProperty("id", agent.id().value());
            g.writeStringProperty("role", agent.role());
            g.writeName("capabilities");
            strings(g, agent.capabilities());
            g.writeStringProperty("status", agent.status().name());
            g.writeName("metadata");
            g.writeStartObject();
            Map<String, String> metadata = agent.metadata();
            for (String key : sorted(metadata.keySet())) {
                g.writeStringProperty(key, metadata.get(key));
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void strings(JsonGenerator g, Set<String> values) {
        g.writeStartArray();
        for (String value : sorted(values)) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    /** The set's elements in natural order: an array sort, cheaper than a TreeSet for the few a task has. */
    private static String[] sorted(Set<String> values) {
        String[] array = values.toArray(NONE);
        if (array.length > 1) {
            Arrays.sort(array);
        }
        return array;
    }
}
