package dev.colony;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.state.CoordinationState;
import dev.colony.state.StateOptions;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend for {@code fake://} URIs that builds embedded parts and counts how often it is closed. */
public final class FakeBackend implements ColonyBackend {

    static final AtomicInteger OPENED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();
    static volatile String lastUri;

    public FakeBackend() {}

    @Override
    public String scheme() {
        return "fake";
    }

    @Override
    public Parts open(String uri, EventBus.Builder bus, Messenger.Builder messenger, StateOptions state) {
        OPENED.incrementAndGet();
        lastUri = uri;
        EventBus builtBus = bus.build();
        return new Parts(
                builtBus, messenger.build(), CoordinationState.create(builtBus, state), CLOSED::incrementAndGet);
    }
}
