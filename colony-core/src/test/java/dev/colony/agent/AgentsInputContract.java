package dev.colony.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentStatus;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link AgentsContract}: bad input is refused with a message naming it, and loses nothing: a
 * refused spawn leaves the live agent of that id running, registered and receiving.
 */
public interface AgentsInputContract extends AgentsFixture {

    @Test
    default void spawn_idOfALiveAgent_throwsNamingItAndTheLiveAgentKeepsRunning() {
        AgentId id = AgentId.of("twin");
        var received = new ConcurrentLinkedQueue<Object>();
        AgentHandle first = colony().spawn(AgentSpec.of(id, "worker"), (ctx, m) -> received.add(m.payload()));
        eventually().until(() -> first.status() == AgentRunState.RUNNING);

        assertThatThrownBy(() -> colony().spawn(AgentSpec.of(id, "imposter"), (ctx, m) -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"twin\"");

        assertThat(first.status()).isEqualTo(AgentRunState.RUNNING);
        assertThat(colony().agents()).containsExactly(first);
        assertThat(colony().registry().get(id).orElseThrow().role()).isEqualTo("worker");
        assertThat(registryStatus(id)).isEqualTo(AgentStatus.IDLE);
        assertThat(send(id, "still here")).isEqualTo(SendOutcome.DELIVERED);
        eventually().until(() -> received.size() == 1);
        assertThat(received).containsExactly("still here");
    }

    @Test
    default void send_toUnknownAgent_noSuchAgent() {
        assertThat(send(AgentId.of("nobody"), 1)).isEqualTo(SendOutcome.NO_SUCH_AGENT);
        assertThat(colony().agents()).isEmpty();
    }

    @Test
    default void spawn_nullSpecOrBehavior_throwsNamingTheParameter() {
        assertThatThrownBy(() -> colony().spawn(null, (ctx, m) -> {}))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("spec");
        assertThatThrownBy(() -> colony().spawn(AgentSpec.of(AgentId.of("x"), "worker"), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("behavior");
        assertThat(colony().registry().get(AgentId.of("x"))).isEmpty();
    }

    @Test
    default void spec_badRole_throwsQuotingIt() {
        assertThatThrownBy(() -> AgentSpec.of(AgentId.of("x"), "bad role"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"bad role\"");
    }
}
