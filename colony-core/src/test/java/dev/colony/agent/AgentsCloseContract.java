package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.state.AgentStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link AgentsContract}: closing the colony stops every agent gracefully (onStop once each) and
 * leaves none of their threads behind; a closed colony spawns nothing.
 */
public interface AgentsCloseContract extends AgentsFixture {

    @Test
    default void close_withFiftyAgents_allStoppedOnStopOnceNoThreadLeft() {
        AgentsLifecycleContract.Counting behavior = new AgentsLifecycleContract.Counting();
        List<AgentHandle> handles = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            handles.add(colony().spawn(AgentSpec.of(AgentId.of("closing-" + i), "worker"), behavior));
        }
        eventually().until(() -> handles.stream().allMatch(h -> h.status() == AgentRunState.RUNNING));
        // an inbox starts its thread with its first message (ADR 0038): give each one, so there are threads to end
        for (AgentHandle handle : handles) {
            colony().messenger().send(Envelope.of(AgentId.of("closer"), handle.id(), "wake", "up"));
        }
        eventually().until(() -> ThreadDump.threadsNamedWith("closing-") >= 50);

        colony().close();

        assertThat(handles).allMatch(h -> h.status() == AgentRunState.STOPPED);
        assertThat(behavior.starts).hasValue(50);
        assertThat(behavior.stops).hasValue(50);
        assertThat(colony().agents()).isEmpty();
        assertThat(ThreadDump.threadsNamedWith("closing-")).isZero();
        colony().close(); // idempotent
    }

    @Test
    default void spawn_afterClose_throwsIllegalState() {
        colony().close();

        assertThatThrownBy(() -> colony().spawn(AgentSpec.of(AgentId.of("too-late"), "worker"), (ctx, m) -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    default void close_agentStoppedBefore_stillStoppedAndRegistryUntouched() {
        AgentId id = AgentId.of("closing-early");
        AgentHandle handle = colony().spawn(AgentSpec.of(id, "worker"), (ctx, m) -> {});
        assertThat(handle.stop(WAIT)).isTrue();
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.STOPPED);

        colony().close();

        assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
    }
}
