package dev.colony;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import java.util.Objects;

/**
 * The entry point: one colony of agents with its event bus and its messenger (and, as Colony grows, its
 * coordination state and snapshots).
 *
 * <p>{@link #embedded()} runs everything in this JVM; {@link #builder()} takes settings for each part. A
 * colony owns the threads and resources of its parts; {@link #close()} releases them all and is
 * idempotent.
 */
public interface Colony extends AutoCloseable {

    /** A colony in this JVM with default settings. */
    static Colony embedded() {
        return builder().build();
    }

    /** Settings for a colony in this JVM. */
    static Builder builder() {
        return new Builder();
    }

    /** The event bus. */
    EventBus bus();

    /** The messenger agents talk through. */
    Messenger messenger();

    @Override
    void close();

    /** Settings of an embedded colony, one builder per part. */
    final class Builder {
        private EventBus.Builder bus = EventBus.builder();
        private Messenger.Builder messenger = Messenger.builder();

        Builder() {}

        /** The event bus's settings. */
        public Builder bus(EventBus.Builder settings) {
            this.bus = Objects.requireNonNull(settings, "bus settings");
            return this;
        }

        /** The messenger's settings. */
        public Builder messenger(Messenger.Builder settings) {
            this.messenger = Objects.requireNonNull(settings, "messenger settings");
            return this;
        }

        /** A colony in this JVM with these settings. */
        public Colony build() {
            return new EmbeddedColony(bus.build(), messenger.build());
        }
    }
}
