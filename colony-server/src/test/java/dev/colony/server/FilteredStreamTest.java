package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/events?filter=<plugin>}: a deployed WebAssembly filter in front of one SSE stream. */
class FilteredStreamTest {
    /** The C example scorer (examples/plugins/c): exports colony_score, no colony_filter. */
    static final byte[] SCORER = read(Path.of("..", "examples", "plugins", "c", "fewest_leases.wasm"));

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deployPrefix(ServerFixture f) {
        Http.Res put = PluginApiTest.deploy(
                f.server,
                "admin",
                "prefix",
                PluginApiTest.PREFIX,
                PluginApiTest.sha256(PluginApiTest.PREFIX),
                "application/wasm");
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    @Test
    void stream_withFilterPlugin_deliversOnlyWhatThePluginAcceptsOfTheClientsSubjects() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            deployPrefix(f); // accepts subjects starting "orders."
            try (SseClient sse =
                    new SseClient(f.server.uri(), "/v1/events?pattern=>&filter=prefix", "admin", null, 0)) {
                sse.startReading();
                SseClient.Frame ready = sse.next();
                assertThat(ready.event()).isEqualTo("ready");
                assertThat(ready.data()).contains("\"filter\":\"prefix\"");
                Awaitility.await().atMost(SseClient.generous()).until(() -> f.server.streams() == 1);

                f.admin.post("/v1/events/orders.a", "{\"n\":1}");
                f.admin.post("/v1/events/invoices.b", "{\"n\":2}");
                f.admin.post("/v1/events/orders.c", "{\"n\":3}");

                assertThat(sse.nextEvent().data()).isEqualTo("{\"subject\":\"orders.a\",\"payload\":{\"n\":1}}");
                assertThat(sse.nextEvent().data()).isEqualTo("{\"subject\":\"orders.c\",\"payload\":{\"n\":3}}");
            }
            assertThat(f.server.plugins().stats("prefix").orElseThrow().calls()).isEqualTo(3);
        }
    }

    @Test
    void resume_withFilterPlugin_replaysOnlyAcceptedEvents() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            deployPrefix(f);
            String lastId;
            try (SseClient sse = new SseClient(f.server.uri(), "/v1/events?pattern=>", "admin", null, 0)) {
                sse.startReading();
                Awaitility.await().atMost(SseClient.generous()).until(() -> f.server.streams() == 1);
                f.admin.post("/v1/events/orders.first", "1");
                lastId = sse.nextEvent().id();
            }
            f.admin.post("/v1/events/invoices.x", "2");
            f.admin.post("/v1/events/orders.y", "3");

            try (SseClient sse =
                    new SseClient(f.server.uri(), "/v1/events?pattern=>&filter=prefix", "admin", lastId, 0)) {
                sse.startReading();
                assertThat(sse.nextEvent().data()).isEqualTo("{\"subject\":\"orders.y\",\"payload\":3}");
                f.admin.post("/v1/events/invoices.z", "4");
                f.admin.post("/v1/events/orders.w", "5");
                assertThat(sse.nextEvent().data()).isEqualTo("{\"subject\":\"orders.w\",\"payload\":5}");
            }
        }
    }

    @Test
    void stream_pluginGoneMeanwhile_failurePolicyDecides() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            deployPrefix(f);
            try (SseClient closed =
                            new SseClient(f.server.uri(), "/v1/events?pattern=>&filter=prefix", "admin", null, 0);
                    SseClient open = new SseClient(
                            f.server.uri(),
                            "/v1/events?pattern=>&filter=prefix&filterPolicy=fail_open",
                            "admin",
                            null,
                            0)) {
                closed.startReading();
                open.startReading();
                Awaitility.await().atMost(SseClient.generous()).until(() -> f.server.streams() == 2);
                assertThat(f.admin.delete("/v1/admin/plugins/prefix").status()).isEqualTo(204);

                f.admin.post("/v1/events/invoices.gone", "1");
                assertThat(open.nextEvent().data()).contains("invoices.gone");

                deployPrefix(f);
                f.admin.post("/v1/events/orders.back", "2");
                // in stream order: had the failed call let invoices.gone through, it would come first
                assertThat(closed.nextEvent().data()).contains("orders.back");
                assertThat(open.nextEvent().data()).contains("orders.back");
            }
        }
    }

    @Test
    void stream_unknownPluginNotAFilterOrBadPolicy_problemAndNoStream() {
        try (ServerFixture f = new ServerFixture()) {
            f.server.plugins().deploy("placement", SCORER, null);
            deployPrefix(f);

            Http.Res unknown = f.admin.get("/v1/events?pattern=orders.*&filter=nope");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
            assertThat(unknown.code()).isEqualTo("NO_SUCH_PLUGIN");
            assertThat(unknown.text()).contains("\\\"nope\\\"");

            Http.Res scorer = f.admin.get("/v1/events?pattern=orders.*&filter=placement");
            assertThat(scorer.status()).isEqualTo(422);
            assertThat(scorer.code()).isEqualTo("PLUGIN_NOT_A_FILTER");

            Http.Res policy = f.admin.get("/v1/events?pattern=orders.*&filter=prefix&filterPolicy=sometimes");
            assertThat(policy.status()).isEqualTo(400);
            assertThat(policy.text())
                    .contains("fail_closed, fail_open or reload")
                    .contains("sometimes");

            assertThat(f.server.streams()).isZero();
            assertThat(f.server.plugins().stats("prefix").orElseThrow().calls()).isZero();
        }
    }
}
