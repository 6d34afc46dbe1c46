package dev.colony.bus;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The behaviour every {@link EventBus} backend must have, written against the public API only. A backend
 * runs the whole contract by extending this class and implementing {@link #newBus}; the tests
 * themselves live in the interfaces this class implements, one per concern, to keep each file short.
 */
public abstract class EventBusContract
        implements EventBusDeliveryContract,
                EventBusRoutingContract,
                EventBusCloseContract,
                EventBusCloseTimeoutContract,
                EventBusOverflowContract,
                EventBusFailureContract,
                EventBusConcurrencyContract {

    private final List<EventBus> buses = new ArrayList<>();

    protected EventBusContract() {}

    /** Creates the backend's bus with the settings of {@code builder}. */
    protected abstract EventBus newBus(EventBus.Builder builder);

    @Override
    public final EventBus bus(EventBus.Builder builder) {
        EventBus bus = newBus(builder);
        buses.add(bus);
        return bus;
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(EventBus::close);
        buses.clear();
    }
}
