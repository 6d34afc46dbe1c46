package dev.colony;

import dev.colony.agent.AgentHandle;
import dev.colony.agent.AgentSpec;
import dev.colony.agent.Agents;
import dev.colony.agent.Behavior;
import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.metrics.MetricsRegistry;
import dev.colony.state.CoordinationState;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A colony whose agents run in this JVM, on parts that live here too or in a {@link dev.colony.spi.ColonyBackend}: the
 * agent runtime only sees the parts' interfaces.
 */
final class EmbeddedColony implements Colony {
    private final MetricsRegistry metrics = MetricsRegistry.create();
    private final EventBus bus;
    private final Messenger messenger;
    private final CoordinationState state;
    private final Agents agents;
    private final AutoCloseable resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    EmbeddedColony(EventBus bus, Messenger messenger, CoordinationState state, AutoCloseable resources) {
        this.bus = bus;
        this.messenger = messenger;
        this.state = state;
        this.resources = resources;
        this.agents = Agents.create(bus, messenger, state);
        ColonyMetrics.register(metrics, bus, messenger, state, agents);
    }

    @Override
    public MetricsRegistry metrics() {
        return metrics;
    }

    @Override
    public CoordinationState state() {
        return state;
    }

    @Override
    public EventBus bus() {
        return bus;
    }

    @Override
    public Messenger messenger() {
        return messenger;
    }

    @Override
    public AgentHandle spawn(AgentSpec spec, Behavior behavior) {
        return agents.spawn(spec, behavior);
    }

    @Override
    public List<AgentHandle> agents() {
        return agents.agents();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        agents.close(); // agents stop while the state, messenger and bus they use are still open
        state.close();
        messenger.close();
        bus.close();
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close the colony's backend resources", e);
        }
    }
}
