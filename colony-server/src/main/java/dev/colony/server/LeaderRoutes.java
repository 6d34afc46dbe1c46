package dev.colony.server;

import dev.colony.messaging.AgentId;
import dev.colony.server.auth.Action;
import dev.colony.state.Fence;
import dev.colony.state.LeaderElection;
import dev.colony.state.Leadership;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leader routes: campaign (the answer's {@code term} is the fence), renew and resign by term, and the
 * current leader of a group. A named lock is a leader group: acquire is campaign, release is resign.
 */
final class LeaderRoutes {
    private static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    private final LeaderElection leaders;

    LeaderRoutes(Parts parts) {
        this.leaders = parts.colony().leaders();
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/v1/leaders/{group}", this::get),
                Route.of("POST", "/v1/leaders/{group}/campaign", this::campaign),
                Route.of("POST", "/v1/leaders/{group}/renew", this::renew),
                Route.of("POST", "/v1/leaders/{group}/resign", this::resign));
    }

    private Reply campaign(Call call) {
        String group = call.path("group");
        String stored = call.ns().token(group, "group");
        Body body = call.object();
        AgentId agent = agent(call, body);
        Duration lease = body.duration("lease").orElse(DEFAULT_LEASE);
        call.authorize(Action.LEADER, group);
        Optional<Leadership> won;
        try {
            won = leaders.campaign(stored, agent, lease);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        if (won.isEmpty()) {
            Map<String, Object> current = leaders.leader(stored)
                    .map(l -> leadership(call.ns(), group, l))
                    .orElse(Map.of());
            throw new Problem(
                    409, "NOT_LEADER", "group \"" + group + "\" has another leader", Map.of("current", current));
        }
        call.audit("leader.campaign", group);
        return Reply.ok(leadership(call.ns(), group, won.get()));
    }

    private Reply renew(Call call) {
        String group = call.path("group");
        Body body = call.object();
        Leadership held = held(call, group, body);
        Duration lease = body.duration("lease").orElse(DEFAULT_LEASE);
        if (!leaders.renew(held, lease)) {
            throw stale(group, held.term());
        }
        return Reply.ok(leaders.leader(held.group())
                .map(l -> leadership(call.ns(), group, l))
                .orElseThrow(() -> stale(group, held.term())));
    }

    private Reply resign(Call call) {
        String group = call.path("group");
        Leadership held = held(call, group, call.object());
        if (!leaders.resign(held)) {
            throw stale(group, held.term());
        }
        call.audit("leader.resign", group);
        return Reply.noContent();
    }

    private Reply get(Call call) {
        String group = call.path("group");
        String stored = call.ns().token(group, "group");
        call.authorize(Action.LEADER, group);
        Optional<Leadership> leader = leaders.leader(stored);
        return Reply.ok(leader.map(l -> leadership(call.ns(), group, l))
                .orElse(Json.obj("group", group, "term", leaders.currentTerm(stored))));
    }

    private Leadership held(Call call, String group, Body body) {
        String stored = call.ns().token(group, "group");
        AgentId agent = agent(call, body);
        call.authorize(Action.LEADER, group);
        long term = body.longValue("term");
        if (term < 1) {
            throw Problem.badRequest("member term must be positive, got " + term);
        }
        return new Leadership(stored, agent, term, Instant.now());
    }

    private static AgentId agent(Call call, Body body) {
        String name = body.text("agent");
        AgentId agent = call.ns().agent(name);
        call.authorize(Action.AGENT, name);
        return agent;
    }

    private static Problem stale(String group, long term) {
        return Problem.conflict(
                "STALE_TERM",
                "term " + term + " of group \"" + group + "\" is not held (lapsed, resigned or superseded)");
    }

    /** The optional {@code fence} member of a body ({@code {"group": "g", "term": 3}}) in the account's namespace. */
    static Optional<Fence> fence(Namespace ns, Body body) {
        if (body.member("fence") == null) {
            return Optional.empty();
        }
        if (!body.member("fence").isObject()) {
            throw Problem.badRequest("member fence must be an object such as {\"group\": \"g\", \"term\": 3}");
        }
        Body fence = new Body(body.member("fence"), "fence.");
        long term = fence.longValue("term");
        if (term < 1) {
            throw Problem.badRequest("member fence.term must be positive, got " + term);
        }
        return Optional.of(new Fence(ns.token(fence.text("group"), "fence.group"), term));
    }

    static Map<String, Object> leadership(Namespace ns, String group, Leadership l) {
        return Json.obj("group", group, "leader", ns.local(l.leader()), "term", l.term(), "expiresAt", l.expiresAt());
    }
}
