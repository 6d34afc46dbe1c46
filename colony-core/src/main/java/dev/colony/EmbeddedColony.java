package dev.colony;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.state.CoordinationState;

/** A colony whose parts all live in this JVM. */
final class EmbeddedColony implements Colony {
    private final EventBus bus;
    private final Messenger messenger;
    private final CoordinationState state;

    EmbeddedColony(EventBus bus, Messenger messenger, CoordinationState state) {
        this.bus = bus;
        this.messenger = messenger;
        this.state = state;
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
    public void close() {
        state.close();
        messenger.close();
        bus.close();
    }
}
