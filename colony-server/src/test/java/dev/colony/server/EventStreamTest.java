package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EventStreamTest {

    @Test
    void stream_matchingPattern_receivesPublishedEventsInOrder() throws Exception {
        try (ServerFixture f = new ServerFixture();
                SseClient sse = new SseClient(f.server.uri(), "/v1/events?pattern=orders.>", "admin", null, 0)) {
            sse.startReading();
            Awaitility.await().atMost(SseClient.generous()).until(() -> f.server.streams() == 1);
            for (int i = 0; i < 3; i++) {
                assertThat(f.admin
                                .post("/v1/events/orders.new", "{\"n\":" + i + "}")
                                .json()
                                .path("matched")
                                .asInt())
                        .isEqualTo(1);
            }
            f.admin.post("/v1/events/invoices.new", "{\"n\":99}");

            for (int i = 0; i < 3; i++) {
                SseClient.Frame frame = sse.nextEvent();
                assertThat(frame.event()).isEqualTo("message");
                assertThat(frame.data()).isEqualTo("{\"subject\":\"orders.new\",\"payload\":{\"n\":" + i + "}}");
            }
        }
    }

    @Test
    void resume_withLastEventId_replaysOnlyWhatCameAfter() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            String lastId;
            try (SseClient sse = new SseClient(f.server.uri(), "/v1/events?pattern=orders.>", "admin", null, 0)) {
                sse.startReading();
                Awaitility.await().atMost(SseClient.generous()).until(() -> f.server.streams() == 1);
                f.admin.post("/v1/events/orders.new", "{\"n\":1}");
                f.admin.post("/v1/events/orders.new", "{\"n\":2}");
                sse.nextEvent();
                lastId = sse.nextEvent().id();
            }
            f.admin.post("/v1/events/orders.new", "{\"n\":3}");
            f.admin.post("/v1/events/other.new", "{\"n\":-1}");
            f.admin.post("/v1/events/orders.new", "{\"n\":4}");

            try (SseClient sse = new SseClient(f.server.uri(), "/v1/events?pattern=orders.>", "admin", lastId, 0)) {
                sse.startReading();
                assertThat(sse.nextEvent().data()).contains("{\"n\":3}");
                assertThat(sse.nextEvent().data()).contains("{\"n\":4}");
                f.admin.post("/v1/events/orders.new", "{\"n\":5}");
                assertThat(sse.nextEvent().data()).contains("{\"n\":5}");
            }
        }
    }

    @Test
    void resume_fromBeforeTheRingOrAnotherEpoch_isReset() throws Exception {
        try (ServerFixture f =
                new ServerFixture(Colony.embedded(), ServerLimits.defaults().withRing(4, 1 << 20))) {
            String firstId;
            try (SseClient sse = new SseClient(f.server.uri(), "/v1/events?pattern=>", "admin", null, 0)) {
                sse.startReading();
                Awaitility.await().atMost(SseClient.generous()).until(() -> f.server.streams() == 1);
                f.admin.post("/v1/events/a", "1");
                firstId = sse.nextEvent().id();
            }
            for (int i = 0; i < 10; i++) {
                f.admin.post("/v1/events/a", "2");
            }
            for (String stale : List.of(firstId, "otherepoch-1", "garbage")) {
                try (SseClient sse = new SseClient(f.server.uri(), "/v1/events?pattern=>", "admin", stale, 0)) {
                    sse.startReading();
                    SseClient.Frame reset = sse.next();
                    assertThat(reset.event()).as("resume from %s", stale).isEqualTo("reset");
                    assertThat(reset.id()).isNotNull();
                }
            }
        }
    }

    @Test
    void slowConsumer_overflowingItsBuffer_getsGapThenEnd() throws Exception {
        try (ServerFixture f = new ServerFixture(
                        Colony.embedded(), ServerLimits.defaults().withStreamBuffer(8));
                SseClient sse = new SseClient(f.server.uri(), "/v1/events?pattern=big", "admin", null, 4096)) {
            Awaitility.await().atMost(SseClient.generous()).until(() -> f.server.streams() == 1);
            String big = "\"" + "x".repeat(64 * 1024) + "\"";
            // published in-process so the test does not wait on HTTP; 64 MiB cannot sit in socket buffers
            Object payload = Json.MAPPER.readTree(big);
            for (int i = 0; i < 1024; i++) {
                f.colony.bus().publish("acct.acme.big", payload);
            }
            sse.startReading();
            List<String> events = new ArrayList<>();
            SseClient.Frame frame;
            while ((frame = sse.next()) != SseClient.END) {
                assertThat(frame).as("a frame within the bound").isNotNull();
                events.add(frame.event());
            }
            assertThat(events).last().isEqualTo("gap");
            assertThat(events.stream().filter("message"::equals).count()).isLessThan(1024);
        }
    }

    @Test
    void stream_ofAnotherAccount_seesNothingOfThisOne() throws Exception {
        try (ServerFixture f = new ServerFixture();
                SseClient other = new SseClient(f.server.uri(), "/v1/events?pattern=>", "other", null, 0)) {
            other.startReading();
            Awaitility.await().atMost(SseClient.generous()).until(() -> f.server.streams() == 1);
            f.admin.post("/v1/events/orders.new", "{\"secret\":1}");
            f.admin.as("other").post("/v1/events/orders.new", "{\"mine\":1}");

            SseClient.Frame frame = other.nextEvent();
            assertThat(frame.data()).isEqualTo("{\"subject\":\"orders.new\",\"payload\":{\"mine\":1}}");
        }
    }
}
