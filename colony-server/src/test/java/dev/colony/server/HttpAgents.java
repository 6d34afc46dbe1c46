package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentRegistry;
import dev.colony.state.AgentStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Colony's {@link AgentRegistry} spoken over {@code /v1/agents}. Each agent registers with the task types of
 * the contract suites ({@link HttpTasks#TYPES}), so that assignment can hand it their tasks; {@link #select}
 * filters the account's listing on the client.
 */
final class HttpAgents implements AgentRegistry {
    private final Http http;

    HttpAgents(Http http) {
        this.http = http;
    }

    @Override
    public AgentRecord register(AgentId id, String role, Set<String> capabilities, Map<String, String> metadata) {
        Http.Res res = http.post(
                "/v1/agents",
                HttpWire.json(
                        "id",
                        id.value(),
                        "role",
                        role,
                        "capabilities",
                        List.copyOf(capabilities),
                        "types",
                        HttpTasks.TYPES,
                        "metadata",
                        metadata));
        if (res.status() == 409 && res.code().equals("AGENT_EXISTS")) {
            throw new IllegalStateException(res.json().path("detail").asString());
        }
        return record(HttpWire.expect(res, 201));
    }

    @Override
    public boolean heartbeat(AgentId id) {
        Http.Res res = http.post(path(id) + "/heartbeat", null);
        if (res.status() == 404) {
            return false;
        }
        HttpWire.expect(res, 200);
        return true;
    }

    @Override
    public AgentRecord transition(AgentId id, AgentStatus status) {
        Http.Res res = http.post(path(id) + "/status", HttpWire.json("status", status.name()));
        if (res.status() == 404) {
            throw new NoSuchElementException(res.json().path("detail").asString());
        }
        if (res.status() == 409 && res.code().equals("ILLEGAL_TRANSITION")) {
            throw new IllegalStateException(res.json().path("detail").asString());
        }
        return record(HttpWire.expect(res, 200));
    }

    @Override
    public boolean deregister(AgentId id) {
        Http.Res res = http.delete(path(id));
        if (res.status() == 404) {
            return false;
        }
        HttpWire.expect(res, 204);
        return true;
    }

    @Override
    public Optional<AgentRecord> get(AgentId id) {
        Http.Res res = http.get(path(id));
        if (res.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(record(HttpWire.expect(res, 200)));
    }

    @Override
    public List<AgentRecord> select(Predicate<AgentRecord> filter) {
        List<AgentRecord> out = new ArrayList<>();
        HttpWire.expect(http.get("/v1/agents"), 200).path("agents").forEach(a -> {
            AgentRecord record = record(a);
            if (filter.test(record)) {
                out.add(record);
            }
        });
        return out;
    }

    private static String path(AgentId id) {
        return "/v1/agents/" + HttpWire.segment(id.value());
    }

    static AgentRecord record(JsonNode node) {
        Set<String> capabilities = new HashSet<>();
        node.path("capabilities").forEach(c -> capabilities.add(c.asString()));
        Map<String, String> metadata = new LinkedHashMap<>();
        node.path("metadata")
                .properties()
                .forEach(e -> metadata.put(e.getKey(), e.getValue().asString()));
        return new AgentRecord(
                AgentId.of(node.path("id").asString()),
                node.path("role").asString(),
                capabilities,
                metadata,
                AgentStatus.valueOf(node.path("status").asString()),
                HttpTasks.instant(node, "registeredAt"),
                HttpTasks.instant(node, "lastHeartbeat"));
    }
}
