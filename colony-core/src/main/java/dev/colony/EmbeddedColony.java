package dev.colony;

import dev.colony.bus.EventBus;

/** A colony whose parts all live in this JVM. */
final class EmbeddedColony implements Colony {
    private final EventBus bus;

    EmbeddedColony(EventBus bus) {
        this.bus = bus;
    }

    @Override
    public EventBus bus() {
        return bus;
    }

    @Override
    public void close() {
        bus.close();
    }
}
