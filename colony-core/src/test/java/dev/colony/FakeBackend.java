package dev.colony;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.spi.BackendSettings;
import dev.colony.spi.ColonyBackend;
import dev.colony.state.CoordinationState;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend for {@code fake://} URIs that builds embedded parts and counts how often it is closed. */
public final class FakeBackend implements ColonyBackend {

    static final AtomicInteger OPENED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();
    static volatile String lastUri;
    static volatile BackendSettings lastSettings;

    public FakeBackend() {}

    @Override
    public String scheme() {
        return "fake";
    }

    @Override
    public Parts open(String uri, BackendSettings settings) {
        OPENED.incrementAndGet();
        lastUri = uri;
        lastSettings = settings;
        EventBus builtBus = EventBus.builder().build();
        Messenger messenger =
                Messenger.builder().codec(settings.messenger().codec()).build();
        return new Parts(
                builtBus, messenger, CoordinationState.create(builtBus, settings.state()), CLOSED::incrementAndGet);
    }
}
