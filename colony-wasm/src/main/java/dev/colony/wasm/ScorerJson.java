package dev.colony.wasm;

import dev.colony.state.AgentChooser.Candidate;
import dev.colony.state.AgentRecord;
import dev.colony.state.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The JSON a scorer plugin reads, written by hand: compact, fields in the documented order (docs/plugins.md),
 * capabilities and metadata sorted. A scorer encodes every candidate on every call, and this encoding, not the
 * plugin call, is most of a scorer's cost (docs/benchmarks/plugins.md); a Jackson tree of maps cost more still.
 * Strings are escaped as JSON requires ({@code "}, {@code \}, control characters); other characters pass as
 * UTF-8.
 */
final class ScorerJson {
    private static final String[] NONE = new String[0];

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
        StringBuilder json = new StringBuilder(256);
        json.append("{\"leases\":").append(candidate.leases()).append(",\"id\":");
        string(json, agent.id().value());
        json.append(",\"role\":");
        string(json, agent.role());
        json.append(",\"capabilities\":");
        strings(json, agent.capabilities());
        json.append(",\"status\":\"").append(agent.status().name()).append("\",\"metadata\":{");
        Map<String, String> metadata = agent.metadata();
        String[] keys = sorted(metadata.keySet());
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            string(json, keys[i]);
            json.append(':');
            string(json, metadata.get(keys[i]));
        }
        return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void strings(StringBuilder json, Set<String> values) {
        json.append('[');
        String[] sorted = sorted(values);
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            string(json, sorted[i]);
        }
        json.append(']');
    }

    /** The set's elements in natural order: an array sort, cheaper than a TreeSet for the few a task has. */
    private static String[] sorted(Set<String> values) {
        String[] array = values.toArray(NONE);
        if (array.length > 1) {
            Arrays.sort(array);
        }
        return array;
    }

    /** Appends {@code value} quoted, copying the runs that need no escape whole. */
    private static void string(StringBuilder json, String value) {
        json.append('"');
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                json.append(value, start, i);
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    case '\n' -> json.append("\\n");
                    case '\r' -> json.append("\\r");
                    case '\t' -> json.append("\\t");
                    default -> json.append(String.format("\\u%04x", (int) c));
                }
                start = i + 1;
            }
        }
        json.append(value, start, value.length()).append('"');
    }
}
