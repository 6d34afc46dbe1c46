package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentChooser;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import dev.colony.state.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ScorerJsonTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void candidate_leasesFirstAtByteTen_thenTheAgentSorted_readableByAJsonParser() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zone", "eu \"west\"\n\\1\u0001 é");
        metadata.put("arch", "x86");
        AgentRecord agent = new AgentRecord(
                AgentId.of("agent-7"),
                "worker",
                Set.of("gpu", "cpu", "avx"),
                metadata,
                AgentStatus.BUSY,
                Instant.EPOCH,
                Instant.EPOCH);

        byte[] bytes = ScorerJson.candidate(new AgentChooser.Candidate(agent, 123));
        String text = new String(bytes, StandardCharsets.UTF_8);

        assertThat(text)
                .startsWith(
                        "{\"leases\":123,\"id\":\"agent-7\",\"role\":\"worker\","
                                + "\"capabilities\":[\"avx\",\"cpu\",\"gpu\"],\"status\":\"BUSY\",\"metadata\":{\"arch\":\"x86\",");
        assertThat(text.substring(10, 13)).isEqualTo("123");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("leases", 123);
        expected.put("id", "agent-7");
        expected.put("role", "worker");
        expected.put("capabilities", List.of("avx", "cpu", "gpu"));
        expected.put("status", "BUSY");
        expected.put("metadata", new TreeMap<>(metadata));
        assertThat(JSON.readTree(bytes)).isEqualTo(JSON.valueToTree(expected));
    }

    @Test
    void task_documentedFieldsInOrder() {
        TaskSpec task = TaskSpec.of("t-1", "render", new byte[42])
                .withPriority(7)
                .withRequiredCapabilities(Set.of("gpu", "cuda"));

        assertThat(new String(ScorerJson.task(task), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"t-1\",\"type\":\"render\",\"priority\":7,\"required\":[\"cuda\",\"gpu\"],"
                        + "\"payload_bytes\":42}");
        JsonNode tree = JSON.readTree(ScorerJson.task(TaskSpec.of("t-2", "x", new byte[0])));
        assertThat(tree.get("required").size()).isZero();
    }
}
