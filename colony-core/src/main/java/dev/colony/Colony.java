package dev.colony;

import dev.colony.bus.EventBus;
import java.util.Objects;

/**
 * The entry point: one colony of agents with its event bus (and, as Colony grows, its messenger,
 * coordination state and snapshots).
 *
 * <p>{@link #embedded()} runs everything in this JVM. A colony owns the threads and resources of its
 * parts; {@link #close()} releases them all and is idempotent.
 */
public interface Colony extends AutoCloseable {

    /** A colony in this JVM with default settings. */
    static Colony embedded() {
        return new EmbeddedColony(EventBus.create());
    }

    /** A colony in this JVM whose event bus is built from {@code bus}. */
    static Colony embedded(EventBus.Builder bus) {
        return new EmbeddedColony(Objects.requireNonNull(bus, "bus").build());
    }

    /** The event bus. */
    EventBus bus();

    @Override
    void close();
}
