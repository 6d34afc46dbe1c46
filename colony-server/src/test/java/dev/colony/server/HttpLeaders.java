package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.state.Fence;
import dev.colony.state.LeaderElection;
import dev.colony.state.Leadership;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Colony's {@link LeaderElection} spoken over {@code /v1/leaders}: what an HTTP client of the server can do,
 * so that the leader-election contract runs through the server (ADR 0044).
 */
final class HttpLeaders implements LeaderElection {
    private final Http http;

    HttpLeaders(Http http) {
        this.http = http;
    }

    @Override
    public Optional<Leadership> campaign(String group, AgentId candidate, Duration lease) {
        Http.Res res = http.post(
                "/v1/leaders/" + HttpWire.segment(group) + "/campaign",
                HttpWire.json("agent", candidate.value(), "lease", HttpWire.duration(lease)));
        if (res.status() == 409 && res.code().equals("NOT_LEADER")) {
            return Optional.empty();
        }
        return Optional.of(leadership(HttpWire.expect(res, 200)));
    }

    @Override
    public boolean renew(Leadership leadership, Duration lease) {
        Http.Res res = http.post(
                "/v1/leaders/" + HttpWire.segment(leadership.group()) + "/renew",
                HttpWire.json(
                        "agent",
                        leadership.leader().value(),
                        "term",
                        leadership.term(),
                        "lease",
                        HttpWire.duration(lease)));
        return answered(res, 200);
    }

    @Override
    public boolean resign(Leadership leadership) {
        Http.Res res = http.post(
                "/v1/leaders/" + HttpWire.segment(leadership.group()) + "/resign",
                HttpWire.json("agent", leadership.leader().value(), "term", leadership.term()));
        return answered(res, 204);
    }

    @Override
    public Optional<Leadership> leader(String group) {
        JsonNode node = HttpWire.expect(http.get("/v1/leaders/" + HttpWire.segment(group)), 200);
        return node.has("leader") ? Optional.of(leadership(node)) : Optional.empty();
    }

    @Override
    public long currentTerm(String group) {
        return HttpWire.expect(http.get("/v1/leaders/" + HttpWire.segment(group)), 200)
                .path("term")
                .asLong();
    }

    /** The server has no fence route: a fence is current when its term is the group's current term. */
    @Override
    public boolean isCurrent(Fence fence) {
        return fence.term() > 0 && currentTerm(fence.group()) == fence.term();
    }

    private static boolean answered(Http.Res res, int success) {
        if (res.status() == 409 && res.code().equals("STALE_TERM")) {
            return false;
        }
        HttpWire.expect(res, success);
        return true;
    }

    private static Leadership leadership(JsonNode node) {
        return new Leadership(
                node.path("group").asString(),
                AgentId.of(node.path("leader").asString()),
                node.path("term").asLong(),
                Instant.parse(node.path("expiresAt").asString()));
    }
}
