package dev.colony.server;

import static dev.colony.bus.BusTesting.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRegistryContract;
import dev.colony.state.AgentStatus;
import dev.colony.state.CoordinationState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The agent-registry contract through {@code /v1/agents} of a server over an embedded colony. One test has an
 * HTTP counterpart (ADR 0044): 2,000 concurrent agents become 200, since each of their operations is a request
 * on a connection of its own.
 */
class HttpAgentRegistryContractTest extends HttpStateFixture implements AgentRegistryContract {
    @Override
    Colony.Builder colony() {
        return Colony.builder();
    }

    /**
     * 200 agents instead of 2,000, with the contract's exact checks: each operation is a request, and 2,000
     * virtual threads open 2,000 connections at once, which on the shared 2-core machine (the server on Redis,
     * load 14) had some connections closed or refused before an answer.
     */
    @Test
    @Override
    public void concurrent_thousandsOfAgentsRegisterBeatAndMove_everyOneRecordedOnce() throws Exception {
        CoordinationState state = state();
        int agents = 200;
        AtomicInteger beats = new AtomicInteger();
        ConcurrentHashMap<AgentId, Boolean> failed = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            AgentId id = AgentId.of("a" + i);
            String role = i % 2 == 0 ? "even" : "odd";
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    state.registry().register(id, role, Set.of(), Map.of("zone", "eu"));
                    state.registry().transition(id, AgentStatus.IDLE);
                    for (int b = 0; b < 5; b++) {
                        if (state.registry().heartbeat(id)) {
                            beats.incrementAndGet();
                        }
                        state.registry().transition(id, AgentStatus.BUSY);
                        state.registry().transition(id, AgentStatus.IDLE);
                    }
                } catch (RuntimeException e) {
                    failed.put(id, Boolean.TRUE);
                }
            }));
        }
        for (Thread thread : threads) {
            join(thread);
        }

        assertThat(failed).isEmpty();
        assertThat(beats).hasValue(agents * 5);
        assertThat(state.registry().all()).hasSize(agents);
        assertThat(state.registry().byStatus(AgentStatus.IDLE)).hasSize(agents);
        assertThat(state.registry().byRole("even")).hasSize(agents / 2);
        // 1 registration + 1 move + 5 x (beat + 2 moves) per agent, each one revision
        assertThat(state.revision()).isEqualTo((long) agents * (2 + 5 * 3));
    }
}
