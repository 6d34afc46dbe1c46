package dev.colony.state;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a registered agent: {@code STARTING → IDLE ↔ BUSY → STOPPING → STOPPED}, and from any
 * state but STOPPED to {@code FAILED}. STOPPED and FAILED are final.
 */
public enum AgentStatus {
    STARTING,
    IDLE,
    BUSY,
    STOPPING,
    STOPPED,
    FAILED;

    /** The statuses this one may move to. */
    public Set<AgentStatus> next() {
        return switch (this) {
            case STARTING -> EnumSet.of(IDLE, STOPPING, FAILED);
            case IDLE -> EnumSet.of(BUSY, STOPPING, FAILED);
            case BUSY -> EnumSet.of(IDLE, STOPPING, FAILED);
            case STOPPING -> EnumSet.of(STOPPED, FAILED);
            case STOPPED, FAILED -> EnumSet.noneOf(AgentStatus.class);
        };
    }

    public boolean canMoveTo(AgentStatus to) {
        return next().contains(to);
    }

    /** Whether the agent is still taking part: not STOPPED and not FAILED. */
    public boolean isLive() {
        return this != STOPPED && this != FAILED;
    }
}
