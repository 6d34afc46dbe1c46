package dev.colony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.spi.BackendSettings;
import dev.colony.state.Durability;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColonyBackendTest {

    @Test
    void connectBuildsTheColonyOnTheBackendOfTheScheme() {
        int opened = FakeBackend.OPENED.get();
        int closed = FakeBackend.CLOSED.get();
        Colony colony = Colony.builder().connect("FAKE://somewhere/swarm").build();
        assertThat(FakeBackend.OPENED.get()).isEqualTo(opened + 1);
        assertThat(FakeBackend.lastUri).isEqualTo("FAKE://somewhere/swarm");
        String id = colony.tasks().submit(TaskSpec.of("t-1", "work", new byte[] {1}));
        assertThat(colony.tasks().get(id)).isPresent();
        colony.close();
        colony.close();
        assertThat(FakeBackend.CLOSED.get()).isEqualTo(closed + 1);
    }

    @Test
    void backend_receivesTheSettingsAsImmutableValues() {
        EventBus.Builder bus = EventBus.builder().routeCacheCapacity(128);
        Messenger.Builder messenger = Messenger.builder().deadLetterCapacity(7);
        StateOptions state = StateOptions.defaults();
        Colony.Builder builder =
                Colony.builder().bus(bus).messenger(messenger).state(state).connect("fake://settings/swarm");
        try (Colony colony = builder.build()) {
            bus.routeCacheCapacity(256); // after build: must not reach the backend's values
            messenger.deadLetterCapacity(9);
            BackendSettings seen = FakeBackend.lastSettings;
            assertThat(seen.bus().routeCacheCapacity()).isEqualTo(128);
            assertThat(seen.messenger().deadLetterCapacity()).isEqualTo(7);
            assertThat(seen.state()).isEqualTo(state);
            assertThat(colony.bus()).isNotNull();
        }
    }

    @Test
    void aSchemeWithoutBackendIsAClearError() {
        assertThatThrownBy(() -> Colony.builder().redis("redis://127.0.0.1:1/x").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Colony backend for redis://")
                .hasMessageContaining("colony-redis");
        assertThatThrownBy(() -> Colony.builder().connect("nats://host/x").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nats://");
    }

    @Test
    void badUrisAreRejectedWhenGiven() {
        assertThatThrownBy(() -> Colony.builder().redis("http://host/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://");
        assertThatThrownBy(() -> Colony.builder().connect("no-scheme"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> Colony.builder().connect("bad uri with spaces://x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a URI");
    }

    @Test
    void durabilityIsForTheEmbeddedColonyOnly(@TempDir Path dir) {
        assertThatThrownBy(() -> Colony.builder()
                        .durability(Durability.in(dir))
                        .connect("fake://x")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("durability");
    }
}
