package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.Subscription;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link AgentsContract}: the runtime heartbeats every live agent into the registry at its
 * interval (announced as {@code colony.agent.<id>.heartbeat}), and a stopped agent no longer.
 */
public interface AgentsHeartbeatContract extends AgentsFixture {

    @Test
    default void heartbeat_runningAgent_announcedRepeatedlyAndStaysIdle() {
        AgentId id = AgentId.of("beat-1");
        var beats = new AtomicInteger();
        Subscription watch = colony().bus().subscribe("colony.agent.beat-1.heartbeat", e -> beats.incrementAndGet());
        colony().spawn(AgentSpec.of(id, "worker").withHeartbeatInterval(Duration.ofMillis(20)), (ctx, m) -> {});

        eventually().until(() -> beats.get() >= 3);

        watch.close();
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.IDLE);
    }

    @Test
    default void heartbeat_twoAgents_eachBeatsUnderItsOwnIdAtItsInterval() {
        var fast = new AtomicInteger();
        var slow = new AtomicInteger();
        Subscription fastWatch =
                colony().bus().subscribe("colony.agent.beat-fast.heartbeat", e -> fast.incrementAndGet());
        Subscription slowWatch =
                colony().bus().subscribe("colony.agent.beat-slow.heartbeat", e -> slow.incrementAndGet());
        colony().spawn(
                        AgentSpec.of(AgentId.of("beat-slow"), "worker").withHeartbeatInterval(Duration.ofHours(1)),
                        (ctx, m) -> {});
        colony().spawn(
                        AgentSpec.of(AgentId.of("beat-fast"), "worker").withHeartbeatInterval(Duration.ofMillis(20)),
                        (ctx, m) -> {});

        eventually().until(() -> fast.get() >= 3);

        fastWatch.close();
        slowWatch.close();
        assertThat(slow).hasValue(0); // its first heartbeat is due an hour after spawn
    }
}
