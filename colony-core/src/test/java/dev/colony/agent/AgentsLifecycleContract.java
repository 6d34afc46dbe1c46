package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Part of {@link AgentsContract}: spawn registers and starts an agent; stop ends it once, gracefully. */
public interface AgentsLifecycleContract extends AgentsFixture {

    /** Counts onStart and onStop calls; ignores messages. */
    final class Counting implements Behavior {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        Counting() {}

        @Override
        public void onStart(AgentContext ctx) {
            starts.incrementAndGet();
        }

        @Override
        public void onMessage(AgentContext ctx, Envelope message) {}

        @Override
        public void onStop(AgentContext ctx) {
            stops.incrementAndGet();
        }
    }

    @Test
    default void spawn_newAgent_runningAndRegisteredIdleWithItsSpec() {
        AgentId id = AgentId.of("life-1");
        Counting behavior = new Counting();

        AgentHandle handle = colony().spawn(
                        AgentSpec.of(id, "worker")
                                .withCapabilities(Set.of("gpu"))
                                .withMetadata(Map.of("zone", "a")),
                        behavior);

        eventually().until(() -> handle.status() == AgentRunState.RUNNING);
        AgentRecord record = colony().registry().get(id).orElseThrow();
        assertThat(record.status()).isEqualTo(AgentStatus.IDLE);
        assertThat(record.role()).isEqualTo("worker");
        assertThat(record.capabilities()).containsExactly("gpu");
        assertThat(record.metadata()).containsExactly(Map.entry("zone", "a"));
        assertThat(handle.id()).isEqualTo(id);
        assertThat(handle.restarts()).isZero();
        assertThat(handle.lastFailure()).isEmpty();
        assertThat(colony().agents()).containsExactly(handle);
        assertThat(behavior.starts).hasValue(1);
    }

    @Test
    default void stop_runningAgent_onStopOnceStoppedInRegistryAndGoneFromAgents() {
        AgentId id = AgentId.of("life-2");
        Counting behavior = new Counting();
        AgentHandle handle = colony().spawn(AgentSpec.of(id, "worker"), behavior);
        eventually().until(() -> handle.status() == AgentRunState.RUNNING);

        assertThat(handle.stop(WAIT)).isTrue();

        assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.STOPPED);
        assertThat(behavior.stops).hasValue(1);
        assertThat(colony().agents()).isEmpty();
        assertThat(handle.stop(WAIT)).isTrue();
        handle.close();
        assertThat(behavior.stops).hasValue(1);
    }

    @Test
    default void stop_rightAfterSpawn_onStopExactlyWhenOnStartRan() {
        Counting behavior = new Counting();
        for (int i = 0; i < 50; i++) {
            AgentId id = AgentId.of("brief-" + i);
            AgentHandle handle = colony().spawn(AgentSpec.of(id, "worker"), behavior);

            assertThat(handle.stop(WAIT)).isTrue();

            assertThat(handle.status()).isEqualTo(AgentRunState.STOPPED);
            assertThat(registryStatus(id)).isEqualTo(AgentStatus.STOPPED);
            assertThat(behavior.stops.get()).isEqualTo(behavior.starts.get());
        }
        assertThat(colony().agents()).isEmpty();
    }

    @Test
    default void spawn_sameIdAfterStop_replacesTheStoppedAgent() {
        AgentSpec spec = AgentSpec.of(AgentId.of("phoenix"), "worker");
        AgentHandle first = colony().spawn(spec, new Counting());
        assertThat(first.stop(WAIT)).isTrue();

        AgentHandle second = colony().spawn(spec.withRole("reborn"), new Counting());

        eventually().until(() -> second.status() == AgentRunState.RUNNING);
        assertThat(registryStatus(spec.id())).isEqualTo(AgentStatus.IDLE);
        assertThat(colony().registry().get(spec.id()).orElseThrow().role()).isEqualTo("reborn");
        assertThat(colony().agents()).containsExactly(second);
        assertThat(first.status()).isEqualTo(AgentRunState.STOPPED);
    }
}
