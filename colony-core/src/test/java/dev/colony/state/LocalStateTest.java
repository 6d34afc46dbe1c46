package dev.colony.state;

import dev.colony.bus.EventBus;

/** The embedded state runs the whole contract. */
class LocalStateTest extends StateContract {

    @Override
    protected CoordinationState newState(EventBus bus, StateOptions options) {
        return CoordinationState.create(bus, options);
    }
}
