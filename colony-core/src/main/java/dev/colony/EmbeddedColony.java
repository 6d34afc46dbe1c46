package dev.colony;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;

/** A colony whose parts all live in this JVM. */
final class EmbeddedColony implements Colony {
    private final EventBus bus;
    private final Messenger messenger;

    EmbeddedColony(EventBus bus, Messenger messenger) {
        this.bus = bus;
        this.messenger = messenger;
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
        messenger.close();
        bus.close();
    }
}
