package dev.colony.state;

import dev.colony.messaging.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * Who leads an election group, in which term, until when.
 *
 * @param group the election group, a token
 * @param leader the leading candidate
 * @param term the fencing token: grows by at least one with every election in the group, never reused
 * @param expiresAt when the leadership lapses unless renewed
 */
public record Leadership(String group, AgentId leader, long term, Instant expiresAt) {
    public Leadership {
        Names.token(group, "group");
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** This leadership's fence, to carry on state operations. */
    public Fence fence() {
        return new Fence(group, term);
    }
}
