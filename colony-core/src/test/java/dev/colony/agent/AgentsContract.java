package dev.colony.agent;

import dev.colony.Colony;
import org.junit.jupiter.api.AfterEach;

/**
 * The behaviour of the agent runtime over every backend, written against the public API only: spawn and
 * stop, messages, supervision, heartbeats, close, bad input. A backend runs the whole contract by
 * extending this class and implementing {@link #newColony}; the tests live in the interfaces this class
 * implements, one per concern. Counts are exact and nothing is timed: supervision uses a zero backoff,
 * and everything that happens on another thread is awaited with a generous bound.
 */
public abstract class AgentsContract
        implements AgentsLifecycleContract,
                AgentsMessagingContract,
                AgentsSupervisionContract,
                AgentsHeartbeatContract,
                AgentsCloseContract,
                AgentsInputContract {

    private Colony colony;

    protected AgentsContract() {}

    /** A new colony of the backend under test, with default settings. */
    protected abstract Colony newColony();

    @Override
    public final Colony colony() {
        if (colony == null) {
            colony = newColony();
        }
        return colony;
    }

    @AfterEach
    void closeColony() {
        if (colony != null) {
            colony.close();
            colony = null;
        }
    }
}
