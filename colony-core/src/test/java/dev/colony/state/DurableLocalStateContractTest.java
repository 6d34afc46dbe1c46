package dev.colony.state;

import dev.colony.bus.EventBus;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The durable embedded state runs the whole contract too: journaling must not change any behaviour. */
class DurableLocalStateContractTest extends StateContract {
    @TempDir
    Path dir;

    private final AtomicInteger states = new AtomicInteger();

    @Override
    protected CoordinationState newState(EventBus bus, StateOptions options) {
        Path directory = dir.resolve("state-" + states.incrementAndGet());
        return CoordinationState.open(bus, options, Durability.in(directory).withFsync(FsyncPolicy.OS));
    }
}
