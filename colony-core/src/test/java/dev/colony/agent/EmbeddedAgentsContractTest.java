package dev.colony.agent;

import dev.colony.Colony;

/** The agent-runtime contract over the embedded colony. */
class EmbeddedAgentsContractTest extends AgentsContract {
    @Override
    protected Colony newColony() {
        return Colony.embedded();
    }
}
