package dev.colony.state;

import dev.colony.bus.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The behaviour every {@link CoordinationState} backend must have, written against the public API only.
 * A backend runs the whole contract by extending this class and implementing {@link #newState}; the tests
 * live in the interfaces this class implements, one per part.
 */
public abstract class StateContract
        implements AgentRegistryContract,
                TaskQueueContract,
                LeaderElectionContract,
                SharedMemoryContract,
                StateSnapshotContract {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private ManualClock clock;
    private EventBus bus;

    protected StateContract() {}

    /** Creates the backend's state announcing on {@code bus}, with {@code options}. */
    protected abstract CoordinationState newState(EventBus bus, StateOptions options);

    @Override
    public final CoordinationState state(StateOptions options) {
        bus = EventBus.create();
        resources.add(bus);
        CoordinationState state = newState(bus, options);
        resources.add(0, state);
        return state;
    }

    @Override
    public final CoordinationState state() {
        clock = new ManualClock();
        return state(StateOptions.defaults().withClock(clock).withSweepInterval(Duration.ZERO));
    }

    @Override
    public final ManualClock clock() {
        return clock;
    }

    @Override
    public final EventBus bus() {
        return bus;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
    }
}
