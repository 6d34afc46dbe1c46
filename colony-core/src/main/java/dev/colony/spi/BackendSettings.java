package dev.colony.spi;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.state.StateOptions;
import java.util.Objects;

/**
 * The settings a {@link ColonyBackend} builds a colony's parts with: immutable values read from the
 * builders of {@link dev.colony.Colony.Builder} when the colony is built, so later changes to a builder
 * never reach a backend.
 *
 * @param bus the event bus's settings
 * @param messenger the messenger's settings
 * @param state the coordination state's settings
 */
public record BackendSettings(EventBus.Builder.Settings bus, Messenger.Settings messenger, StateOptions state) {
    /** Checks that no setting is missing. */
    public BackendSettings {
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(messenger, "messenger");
        Objects.requireNonNull(state, "state");
    }

    /** The defaults of every part. */
    public static BackendSettings defaults() {
        return new BackendSettings(
                EventBus.builder().settings(), Messenger.builder().settings(), StateOptions.defaults());
    }
}
