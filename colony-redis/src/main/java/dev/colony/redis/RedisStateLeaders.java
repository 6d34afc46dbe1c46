package dev.colony.redis;

import dev.colony.messaging.AgentId;
import dev.colony.state.Fence;
import dev.colony.state.LeaderElection;
import dev.colony.state.Leadership;
import dev.colony.state.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Leader election in Redis: each group's latest term is a field of the hash {@code terms}, incremented
 * atomically (HINCRBY) by the election, never reset; the current leadership is the hash
 * {@code leader:<group>}, live while the clock is before its {@code exp}. Campaign, renew and resign are
 * the {@code leader_*} scripts; a lapsed leadership is announced expired by the sweep or the next
 * campaign. Semantics as in the embedded election (see {@link LeaderElection}). The node whose script made
 * a change of leader logs it when it announces it ({@link RedisState}, through
 * {@link dev.colony.state.LeaderChangeLog}), so each change is one line in the swarm.
 */
final class RedisStateLeaders implements LeaderElection {
    private final RedisState state;

    RedisStateLeaders(RedisState state) {
        this.state = state;
    }

    @Override
    public Optional<Leadership> campaign(String group, AgentId candidate, Duration lease) {
        Names.token(group, "group");
        Objects.requireNonNull(candidate, "candidate");
        RedisState.positive(lease, "lease");
        Object result = state.run("leader_campaign", group, candidate.value(), RedisState.millis(lease));
        return RedisState.none(result) ? Optional.empty() : Optional.of(RedisStateCodec.leadership(result));
    }

    @Override
    public boolean renew(Leadership leadership, Duration lease) {
        Objects.requireNonNull(leadership, "leadership");
        RedisState.positive(lease, "lease");
        return !RedisState.none(state.run(
                "leader_renew",
                leadership.group(),
                leadership.leader().value(),
                leadership.term(),
                RedisState.millis(lease)));
    }

    @Override
    public boolean resign(Leadership leadership) {
        Objects.requireNonNull(leadership, "leadership");
        return !RedisState.none(state.run(
                "leader_resign", leadership.group(), leadership.leader().value(), leadership.term()));
    }

    @Override
    public Optional<Leadership> leader(String group) {
        Names.token(group, "group");
        Map<String, byte[]> hash = state.hash("leader:" + group);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        Leadership leadership = RedisStateCodec.leadership(hash);
        return state.now() < leadership.expiresAt().toEpochMilli() ? Optional.of(leadership) : Optional.empty();
    }

    @Override
    public long currentTerm(String group) {
        Names.token(group, "group");
        return term(group);
    }

    @Override
    public boolean isCurrent(Fence fence) {
        Objects.requireNonNull(fence, "fence");
        return term(fence.group()) == fence.term();
    }

    private long term(String group) {
        byte[] term = RedisState.await(state.connection.async().hget(state.prefix + "terms", group));
        if (term == null) {
            return 0;
        }
        String text = new String(term, StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RedisStateException("corrupt coordination state in Redis: the term of group \"" + group
                    + "\" in hash " + state.prefix + "terms is not a number: \"" + text + "\"");
        }
    }
}
