package dev.colony.spi;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.state.CoordinationState;
import java.util.Objects;
import java.util.Set;

/**
 * A backend: the service that builds a colony's bus, messenger and coordination state somewhere other than
 * this JVM's memory, found with {@link java.util.ServiceLoader} when {@link dev.colony.Colony.Builder#connect}
 * names a URI of its {@link #scheme()}. Applications do not call it; a backend module provides it (for
 * example {@code colony-redis}, scheme {@code redis}, declared with {@code provides
 * dev.colony.spi.ColonyBackend with ...} in its module-info and in {@code META-INF/services}), and the
 * colony's agent runtime runs unchanged on the parts it returns.
 *
 * <p><b>The contract.</b> A backend and the parts it returns follow these rules; the contract suites in
 * colony-core's test-jar ({@code EventBusContract}, {@code MessengerContract}, {@code StateContract},
 * {@code AgentsContract}) check them, and a backend is done when it passes them unchanged.
 *
 * <ol>
 *   <li><b>Settings.</b> {@link #open} honours every setting of {@link BackendSettings} it can, and says
 *       in its own documentation which it cannot; it never mutates or keeps anything but the immutable
 *       values it is given.
 *   <li><b>Thread safety.</b> The returned bus, messenger and state are safe for use by any number of
 *       threads at once, with the semantics their interfaces document (delivery, ordering, linearizable
 *       state operations).
 *   <li><b>Bad input.</b> {@link #open} throws {@link IllegalArgumentException} for a URI it cannot parse,
 *       naming the problem and never quoting a password; {@link IllegalStateException} when the backend
 *       cannot be reached, naming the target (password masked) and the cause. Nothing is left open when
 *       it throws.
 *   <li><b>Failure reporting.</b> A handler's failure is counted and given to the settings' failure
 *       handler, never to the publisher or sender; undeliverable messages become dead letters with their
 *       reason. A lost connection is logged (System.Logger, one line) and reconnected; operations that
 *       cannot complete fail with an exception or a status, never silently.
 *   <li><b>Close order.</b> The colony closes the parts in this order: agents, state, messenger, bus, then
 *       {@link Parts#resources()}. Each {@code close()} is idempotent, waits a bounded time for running
 *       handlers, and leaves no thread of the backend running once {@code resources} is closed.
 *   <li><b>Same data, any language.</b> Where the backend stores or sends data, its layout is documented
 *       (for Redis: {@code docs/redis-protocol.md}) so that agents in other languages can take part.
 * </ol>
 */
public interface ColonyBackend {

    /** The URI scheme this backend serves, for example {@code redis}. */
    String scheme();

    /**
     * Every URI scheme this backend serves (lower case): {@link #scheme()} unless the backend serves more,
     * such as {@code rediss} (TLS) and {@code redis-sentinel} beside {@code redis}.
     */
    default Set<String> schemes() {
        return Set.of(scheme());
    }

    /**
     * Connects to {@code uri} and builds the three parts with {@code settings}.
     *
     * @param uri the colony's URI, of this backend's {@link #scheme()}
     * @param settings the bus, messenger and state settings chosen on {@link dev.colony.Colony.Builder}
     * @return the parts, open and ready
     * @throws IllegalArgumentException if {@code uri} is malformed for this backend
     * @throws IllegalStateException if the backend cannot be reached
     */
    Parts open(String uri, BackendSettings settings);

    /**
     * Deletes every piece of data of swarm {@link BackendSettings#swarm()} at {@code uri}, without joining
     * it: what {@code colony swarm drop} does. A backend that keeps no data of its own need not support it.
     *
     * @param force drop even while nodes of the swarm are alive (they will then misbehave)
     * @return how many stored items (for Redis: keys) were deleted
     * @throws IllegalArgumentException if {@code uri} is malformed for this backend
     * @throws IllegalStateException if the backend cannot be reached, or nodes are alive and not {@code force}
     * @throws UnsupportedOperationException if the backend cannot drop a swarm
     */
    default long drop(String uri, BackendSettings settings, boolean force) {
        throw new UnsupportedOperationException("the " + scheme() + " backend cannot drop a swarm");
    }

    /**
     * The parts of a colony and what they share.
     *
     * @param bus the event bus
     * @param messenger the messenger
     * @param state the coordination state
     * @param resources what the three parts share (a connection, say), closed after them
     */
    record Parts(EventBus bus, Messenger messenger, CoordinationState state, AutoCloseable resources) {
        /** Checks that no part is missing. */
        public Parts {
            Objects.requireNonNull(bus, "bus");
            Objects.requireNonNull(messenger, "messenger");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(resources, "resources");
        }
    }
}
