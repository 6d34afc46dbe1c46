package dev.colony.spi;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.state.StateOptions;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings a {@link ColonyBackend} builds a colony's parts with: immutable values read from the
 * builders of {@link dev.colony.Colony.Builder} when the colony is built, so later changes to a builder
 * never reach a backend.
 *
 * @param bus the event bus's settings
 * @param messenger the messenger's settings
 * @param state the coordination state's settings
 * @param swarm the name of the swarm to join inside the backend (1 to 64 of {@code [A-Za-z0-9_-]}):
 *     processes that name the same backend and the same swarm share one colony
 * @param options the backend's own settings by name (for Redis: timeouts, buffer sizes, TLS files; see
 *     its documentation); a backend refuses a name it does not know
 */
public record BackendSettings(
        EventBus.Builder.Settings bus,
        Messenger.Settings messenger,
        StateOptions state,
        String swarm,
        Map<String, String> options) {

    /** The swarm joined when none is named. */
    public static final String DEFAULT_SWARM = "colony";

    private static final Pattern SWARM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Checks that no setting is missing and that the swarm name is valid. */
    public BackendSettings {
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(messenger, "messenger");
        Objects.requireNonNull(state, "state");
        checkSwarm(swarm);
        options = Map.copyOf(Objects.requireNonNull(options, "options"));
    }

    /** Settings for the default swarm without backend options. */
    public BackendSettings(EventBus.Builder.Settings bus, Messenger.Settings messenger, StateOptions state) {
        this(bus, messenger, state, DEFAULT_SWARM, Map.of());
    }

    /** The defaults of every part. */
    public static BackendSettings defaults() {
        return new BackendSettings(
                EventBus.builder().settings(), Messenger.builder().settings(), StateOptions.defaults());
    }

    /** These settings for swarm {@code name}. */
    public BackendSettings withSwarm(String name) {
        return new BackendSettings(bus, messenger, state, name, options);
    }

    /** These settings with backend options {@code values} instead of the current ones. */
    public BackendSettings withOptions(Map<String, String> values) {
        return new BackendSettings(bus, messenger, state, swarm, values);
    }

    /**
     * Checks a swarm name: 1 to 64 of {@code [A-Za-z0-9_-]}.
     *
     * @throws IllegalArgumentException quoting it otherwise
     */
    public static String checkSwarm(String name) {
        Objects.requireNonNull(name, "swarm");
        if (!SWARM.matcher(name).matches()) {
            throw new IllegalArgumentException("swarm name must be 1 to 64 of [A-Za-z0-9_-], got '" + name + "'");
        }
        return name;
    }
}
