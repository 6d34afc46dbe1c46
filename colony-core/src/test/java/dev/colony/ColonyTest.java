package dev.colony;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.Durability;
import dev.colony.state.DurableState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColonyTest {

    @Test
    void durable_closeAndReopen_stateRecovered(@TempDir Path dir) {
        try (Colony colony = Colony.builder().durability(Durability.in(dir)).build()) {
            colony.memory().put("config", "mode", "fast".getBytes(StandardCharsets.UTF_8));
            colony.registry().register(AgentId.of("alice"), "worker", Set.of(), Map.of());
        }

        try (Colony reopened = Colony.builder().durability(Durability.in(dir)).build()) {
            assertThat(reopened.memory().get("config", "mode").orElseThrow().valueAsString())
                    .isEqualTo("fast");
            assertThat(reopened.registry().get(AgentId.of("alice"))).isPresent();
            assertThat(reopened.state()).isInstanceOf(DurableState.class);
        }
    }

    @Test
    void embedded_busAndMessengerWork_andCloseReleasesBoth() throws Exception {
        Colony colony = Colony.builder()
                .bus(EventBus.builder().routeCacheCapacity(16))
                .messenger(Messenger.builder().deadLetterCapacity(8))
                .build();
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        colony.bus().subscribe("a.*", e -> received.add(e.payload()));
        colony.messenger().open(AgentId.of("bob")).attach(m -> received.add(m.payload()));

        colony.bus().publish("a.b", "event");
        colony.messenger().send(Envelope.of(AgentId.of("alice"), AgentId.of("bob"), "t", "message"));

        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("event");
        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("message");
        assertThat(colony.messenger().deadLetters().capacity()).isEqualTo(8);

        colony.close();
        colony.close();

        assertThat(colony.messenger().send(Envelope.of(AgentId.of("alice"), AgentId.of("bob"), "t", "late")))
                .isEqualTo(SendOutcome.REJECTED);
        assertThat(colony.bus().metrics().subscriptions()).isZero();
    }
}
