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

/** A colony whose parts all live in this JVM. */
final class EmbeddedColony implements Colony {
    private final MetricsRegistry metrics = MetricsRegistry.create();
    private final EventBus bus;
    private final Messenger messenger;
    private final CoordinationState state;
    private final Agents agents;

    EmbeddedColony(EventBus bus, Messenger messenger, CoordinationState state) {
        this.bus = bus;
        this.messenger = messenger;
        this.state = state;
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
        agents.close(); // agents stop while the state, messenger and bus they use are still open
        state.close();
        messenger.close();
        bus.close();
    }
}
