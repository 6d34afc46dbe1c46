package dev.colony.agent;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.InboxOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an agent is: its id, how it is registered, its inbox, its heartbeat and its restart policy.
 *
 * <p>Start with {@link #of(AgentId, String)} and adjust with the {@code with…} methods. Keep
 * {@code heartbeatInterval} well under the state's heartbeat timeout, or the registry marks the agent
 * FAILED between two heartbeats.
 *
 * @param id the agent's id, also its inbox address
 * @param role its role in the registry; 1 to 128 characters from {@code [A-Za-z0-9_-]}
 * @param capabilities its capabilities in the registry, each a token like {@code role}; copied
 * @param metadata free-form string metadata for the registry; copied
 * @param inbox how its inbox is set up (roles for broadcasts, capacity, overflow)
 * @param heartbeatInterval how often the runtime heartbeats it, positive
 * @param restart how it is restarted when its behavior throws
 */
public record AgentSpec(
        AgentId id,
        String role,
        Set<String> capabilities,
        Map<String, String> metadata,
        InboxOptions inbox,
        Duration heartbeatInterval,
        RestartPolicy restart) {

    /** The heartbeat interval of {@link #of}: one second. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    private static final int MAX_TOKEN = 128;

    public AgentSpec {
        Objects.requireNonNull(id, "id");
        token(role, "role");
        capabilities = Set.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        capabilities.forEach(capability -> token(capability, "capability"));
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive, got " + heartbeatInterval);
        }
        Objects.requireNonNull(restart, "restart");
    }

    /**
     * An agent with no capabilities or metadata, {@link InboxOptions#defaults() default inbox}, a heartbeat
     * every second and {@link RestartPolicy#defaults() up to 3 restarts}.
     */
    public static AgentSpec of(AgentId id, String role) {
        return new AgentSpec(
                id,
                role,
                Set.of(),
                Map.of(),
                InboxOptions.defaults(),
                DEFAULT_HEARTBEAT_INTERVAL,
                RestartPolicy.defaults());
    }

    public AgentSpec withRole(String newRole) {
        return new AgentSpec(id, newRole, capabilities, metadata, inbox, heartbeatInterval, restart);
    }

    public AgentSpec withCapabilities(Set<String> newCapabilities) {
        return new AgentSpec(id, role, newCapabilities, metadata, inbox, heartbeatInterval, restart);
    }

    public AgentSpec withMetadata(Map<String, String> newMetadata) {
        return new AgentSpec(id, role, capabilities, newMetadata, inbox, heartbeatInterval, restart);
    }

    public AgentSpec withInbox(InboxOptions newInbox) {
        return new AgentSpec(id, role, capabilities, metadata, newInbox, heartbeatInterval, restart);
    }

    public AgentSpec withHeartbeatInterval(Duration newInterval) {
        return new AgentSpec(id, role, capabilities, metadata, inbox, newInterval, restart);
    }

    public AgentSpec withRestart(RestartPolicy newRestart) {
        return new AgentSpec(id, role, capabilities, metadata, inbox, heartbeatInterval, newRestart);
    }

    private static void token(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.length() > MAX_TOKEN) {
            throw new IllegalArgumentException(
                    "invalid " + what + " \"" + value + "\": must be 1 to " + MAX_TOKEN + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("invalid " + what + " \"" + value + "\": character '" + c
                        + "' at index " + i + " is not one of [A-Za-z0-9_-]");
            }
        }
    }
}
