package dev.colony.wasm;

import dev.colony.state.AgentChooser.Candidate;
import dev.colony.state.AgentRecord;
import dev.colony.state.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON a scorer plugin reads, written by hand: compact, fields in the documented order (docs/plugins.md),
 * capabilities and metadata sorted. A Jackson tree of maps cost about ten times as much per candidate, and a
 * scorer encodes every candidate on every call. Strings are escaped as JSON requires ({@code "}, {@code \},
 * control characters); other characters pass as UTF-8.
 */
final class ScorerJson {
    private ScorerJson() {}

    /** {@code {"id","type","priority","required":[...],"payload_bytes"}}. */
    static byte[] task(TaskSpec task) {
        StringBuilder json = new StringBuilder(96);
        json.append("{\"id\":");
        string(json, task.id());
        json.append(",\"type\":");
        string(json, task.type());
        json.append(",\"priority\":").append(task.priority()).append(",\"required\":");
        strings(json, task.requiredCapabilities());
        json.append(",\"payload_bytes\":").append(task.payloadSize()).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"leases":N,"id","role","capabilities":[...],"status","metadata":{...}}}: the load first. */
    static byte[] candidate(Candidate candidate) {
        AgentRecord agent = candidate.agent();
        StringBuilder json = new StringBuilder(128);
        json.append("{\"leases\":").append(candidate.leases()).append(",\"id\":");
        string(json, agent.id().value());
        json.append(",\"role\":");
        string(json, agent.role());
        json.append(",\"capabilities\":");
        strings(json, agent.capabilities());
        json.append(",\"status\":\"").append(agent.status().name()).append("\",\"metadata\":{");
        boolean first = true;
        for (Map.Entry<String, String> entry : new TreeMap<>(agent.metadata()).entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            string(json, entry.getKey());
            json.append(':');
            string(json, entry.getValue());
        }
        return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void strings(StringBuilder json, Set<String> values) {
        json.append('[');
        boolean first = true;
        for (String value : values.size() < 2 ? values : new TreeSet<>(values)) {
            if (!first) {
                json.append(',');
            }
            first = false;
            string(json, value);
        }
        json.append(']');
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
