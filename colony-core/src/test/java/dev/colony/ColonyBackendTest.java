package dev.colony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.snapshot.Durability;
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
