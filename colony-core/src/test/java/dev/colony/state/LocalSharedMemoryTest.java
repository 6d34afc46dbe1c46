package dev.colony.state;

import static dev.colony.state.StateFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded shared memory's bounded tombstones: evicting one never lets a version be reused. */
class LocalSharedMemoryTest {
    private final EventBus bus = EventBus.create();
    private final LocalState state = (LocalState) CoordinationState.create(
            bus, StateOptions.defaults().withClock(new ManualClock()).withSweepInterval(Duration.ZERO));
    private final LocalSharedMemory memory = new LocalSharedMemory(state, 2);

    @AfterEach
    void close() {
        state.close();
        bus.close();
    }

    @Test
    void put_afterTombstoneEvicted_continuesAboveTheFloor() {
        for (int i = 0; i < 3; i++) {
            memory.put("ns", "a", bytes("a" + i));
        }
        memory.delete("ns", "a"); // tombstone a=3
        memory.put("ns", "b", bytes("b"));
        memory.delete("ns", "b"); // tombstone b=1
        memory.put("ns", "c", bytes("c"));
        memory.delete("ns", "c"); // tombstone c=1; a is evicted, the floor becomes 3

        assertThat(memory.put("ns", "a", bytes("again")).version()).isEqualTo(4);
        assertThat(memory.put("ns", "b", bytes("again")).version()).isEqualTo(2);
        assertThat(memory.put("ns", "brand-new", bytes("new")).version()).isEqualTo(4);
    }

    @Test
    void put_belowTheBound_newKeysStartAtOne() {
        memory.put("ns", "a", bytes("a"));
        memory.delete("ns", "a");

        assertThat(memory.put("ns", "fresh", bytes("x")).version()).isEqualTo(1);
        assertThat(memory.put("ns", "a", bytes("x")).version()).isEqualTo(2);
    }
}
