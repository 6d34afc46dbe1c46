package dev.colony.bus;

/**
 * What every part of the event bus contract needs from the backend under test: fresh buses, closed
 * after each test. Implemented once, by {@link EventBusContract}.
 */
public interface EventBusFixture {

    /** A new bus with {@code builder}'s settings; the fixture closes it after the test. */
    EventBus bus(EventBus.Builder builder);

    /**
     * Whether the buses' ASYNC handlers run on virtual threads: the default; false for a fixture that
     * sets {@link EventBus.Builder#drainerThreads} to platform threads.
     */
    default boolean virtualDrainers() {
        return true;
    }

    /** A new bus with default settings; the fixture closes it after the test. */
    default EventBus bus() {
        return bus(EventBus.builder());
    }
}
