package dev.colony.agent;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;

/**
 * What every part of the agent-runtime contract needs from the backend under test: a fresh colony whose
 * agents run in this JVM over the backend's bus, messenger and state, closed after the test. Implemented
 * once, by {@link AgentsContract}.
 */
public interface AgentsFixture {

    /** A generous bound for Awaitility: a slow machine waits longer, a correct one never that long. */
    Duration WAIT = Duration.ofSeconds(30);

    /** Restarts at once, twice: supervision tests need exact counts, not a clock. */
    RestartPolicy TWO_QUICK_RESTARTS = new RestartPolicy(2, Duration.ZERO, Duration.ZERO);

    AgentId TESTER = AgentId.of("tester");

    /** This test's colony, created on first use; the fixture closes it after the test. */
    Colony colony();

    default ConditionFactory eventually() {
        return org.awaitility.Awaitility.await().atMost(WAIT);
    }

    default SendOutcome send(AgentId to, Object payload) {
        return colony().messenger().send(Envelope.of(TESTER, to, "work", payload));
    }

    default AgentStatus registryStatus(AgentId id) {
        return colony().registry().get(id).map(AgentRecord::status).orElse(null);
    }
}
