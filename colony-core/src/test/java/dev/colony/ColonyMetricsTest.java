package dev.colony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.bus.EventBus;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.metrics.Reading;
import dev.colony.state.TaskSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The figures an embedded colony registers, read through its registry. */
class ColonyMetricsTest {

    @Test
    void metrics_embeddedColony_registersItsPartsFigures_andTheyMove() {
        try (Colony colony = Colony.builder()
                .bus(EventBus.builder().onHandlerFailure(failure -> {})) // counted, not logged
                .build()) {
            assertThat(colony.metrics().names())
                    .contains(
                            "colony.bus.published",
                            "colony.bus.handled",
                            "colony.bus.queue.depth",
                            "colony.bus.async.latency",
                            "colony.messenger.sent",
                            "colony.messenger.marshal",
                            "colony.state.revision",
                            "colony.agents.registered",
                            "colony.tasks.queued",
                            "colony.snapshot.duration");
            AtomicInteger received = new AtomicInteger();
            colony.bus().subscribe("demo.*", event -> {
                if (received.incrementAndGet() % 4 == 0) {
                    throw new IllegalStateException("every fourth handler call fails");
                }
            });
            colony.messenger().open(AgentId.of("bob")).attach(message -> {});
            colony.registry().register(AgentId.of("bob"), "worker", Set.of(), Map.of());
            colony.tasks().submit(new TaskSpec("t1", "demo", new byte[0], 0, Set.of(), 3));

            for (int i = 0; i < 8; i++) {
                colony.bus().publish("demo.event", i);
            }
            colony.messenger().send(Envelope.of(AgentId.of("alice"), AgentId.of("bob"), "t", "hi"));
            await().atMost(Duration.ofSeconds(30)).until(() -> count(colony, "colony.messenger.delivered") == 1);

            assertThat(count(colony, "colony.bus.delivered")).isEqualTo(6);
            assertThat(count(colony, "colony.bus.failed")).isEqualTo(2);
            assertThat(count(colony, "colony.bus.handled")).isEqualTo(8);
            assertThat(count(colony, "colony.bus.published")).isGreaterThanOrEqualTo(8); // plus state announcements
            assertThat(count(colony, "colony.messenger.sent")).isEqualTo(1);
            assertThat(gauge(colony, "colony.agents.registered")).isEqualTo(1.0);
            assertThat(gauge(colony, "colony.tasks.queued")).isEqualTo(1.0);
            assertThat(gauge(colony, "colony.state.revision")).isEqualTo(2.0);
        }
    }

    private static long count(Colony colony, String name) {
        return ((Reading.Count) colony.metrics().read(name).orElseThrow()).value();
    }

    private static double gauge(Colony colony, String name) {
        return ((Reading.Gauge) colony.metrics().read(name).orElseThrow()).value();
    }
}
