package dev.colony.server;

import dev.colony.Colony;
import dev.colony.state.AgentRegistryContract;

/** The agent-registry contract through {@code /v1/agents} of a server over an embedded colony. */
class HttpAgentRegistryContractTest extends HttpStateFixture implements AgentRegistryContract {
    @Override
    Colony.Builder colony() {
        return Colony.builder();
    }
}
