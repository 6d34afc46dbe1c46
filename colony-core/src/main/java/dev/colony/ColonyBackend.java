package dev.colony;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.state.CoordinationState;
import dev.colony.state.StateOptions;
import java.util.Objects;

/**
 * A service that builds the parts of a colony living outside this JVM, found with {@link
 * java.util.ServiceLoader} when {@link Colony.Builder#connect(String)} names a URI of its {@link #scheme()}.
 * Applications do not call it; a backend module (for example {@code colony-redis}, scheme {@code redis})
 * provides it, and the colony's agent runtime runs on the parts it returns.
 */
public interface ColonyBackend {

    /** The URI scheme this backend serves, for example {@code redis}. */
    String scheme();

    /**
     * Connects to {@code uri} and builds the three parts with the given settings.
     *
     * @throws IllegalArgumentException if {@code uri} is malformed for this backend
     */
    Parts open(String uri, EventBus.Builder bus, Messenger.Builder messenger, StateOptions state);

    /**
     * The parts of a colony and what they share: {@code resources} (a connection, say) is closed after the
     * three parts.
     */
    record Parts(EventBus bus, Messenger messenger, CoordinationState state, AutoCloseable resources) {
        /** Checks that every part is present. */
        public Parts {
            Objects.requireNonNull(bus, "bus");
            Objects.requireNonNull(messenger, "messenger");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(resources, "resources");
        }
    }
}
