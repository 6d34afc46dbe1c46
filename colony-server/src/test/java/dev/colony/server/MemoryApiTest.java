package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryApiTest {
    private final ServerFixture f = new ServerFixture();
    private final Http http = f.admin;

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void putThenGet_returnsValueWithVersionAsETag() {
        Http.Res put = http.put("/v1/memory/cfg/model.name", "{\"value\":{\"name\":\"gpt\"}}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo("\"1\"");

        Http.Res get = http.get("/v1/memory/cfg/model.name");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.header("ETag")).isEqualTo("\"1\"");
        assertThat(get.json().path("value").path("name").asString()).isEqualTo("gpt");
        assertThat(get.json().path("version").asLong()).isEqualTo(1);
    }

    @Test
    void putIfMatch_currentVersion_writesAndStaleVersionIs412WithCurrentValue() {
        http.put("/v1/memory/cfg/k", "{\"value\":1}");
        Http.Res second = http.with("If-Match", "\"1\"").put("/v1/memory/cfg/k", "{\"value\":2}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("ETag")).isEqualTo("\"2\"");

        Http.Res stale = http.with("If-Match", "\"1\"").put("/v1/memory/cfg/k", "{\"value\":3}");

        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
        assertThat(stale.code()).isEqualTo("CAS_CONFLICT");
        assertThat(stale.json().path("current").path("value").asInt()).isEqualTo(2);
        assertThat(stale.json().path("current").path("version").asLong()).isEqualTo(2);
        assertThat(f.colony.memory().get("acme_cfg", "k").orElseThrow().valueAsString())
                .isEqualTo("2");
    }

    @Test
    void putIfNoneMatch_existingKey_is412() {
        assertThat(http.with("If-None-Match", "*")
                        .put("/v1/memory/cfg/k", "{\"value\":1}")
                        .status())
                .isEqualTo(200);
        assertThat(http.with("If-None-Match", "*")
                        .put("/v1/memory/cfg/k", "{\"value\":2}")
                        .status())
                .isEqualTo(412);
    }

    @Test
    void putWithTtl_setsExpiry() {
        Http.Res put = http.put("/v1/memory/cfg/k", "{\"value\":1,\"ttl\":\"1h\"}");

        assertThat(put.json().path("expiresAt").asString()).isNotEmpty();
        assertThat(f.colony.memory().get("acme_cfg", "k").orElseThrow().expiresAt())
                .isNotNull();
    }

    @Test
    void delete_thenGet_is404() {
        http.put("/v1/memory/cfg/k", "{\"value\":1}");
        assertThat(http.delete("/v1/memory/cfg/k").status()).isEqualTo(204);
        Http.Res gone = http.get("/v1/memory/cfg/k");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("NO_SUCH_KEY");
        assertThat(http.delete("/v1/memory/cfg/k").status()).isEqualTo(404);
    }

    @Test
    void concurrentCasIncrements_loseNoUpdate() throws Exception {
        http.put("/v1/memory/c/n", "{\"value\":0}");
        int threads = 4;
        int each = 25;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    while (true) {
                        Http.Res cur = http.get("/v1/memory/c/n");
                        int n = cur.json().path("value").asInt();
                        Http.Res put = http.with("If-Match", cur.header("ETag"))
                                .put("/v1/memory/c/n", "{\"value\":" + (n + 1) + "}");
                        if (put.status() == 200) {
                            break;
                        }
                        assertThat(put.status()).isEqualTo(412);
                    }
                }
            });
        }
        for (Thread w : workers) {
            w.join();
        }
        assertThat(http.get("/v1/memory/c/n").json().path("value").asInt()).isEqualTo(threads * each);
    }

    @Test
    void watch_streamsChangesOfMatchingKeys() throws Exception {
        try (SseClient sse = new SseClient(f.server.uri(), "/v1/memory/cfg?keys=model.>", "admin", null, 0)) {
            sse.startReading();
            assertThat(sse.next().event()).isEqualTo("ready");
            http.put("/v1/memory/cfg/other", "{\"value\":1}");
            http.put("/v1/memory/cfg/model.a", "{\"value\":2}");

            SseClient.Frame change = sse.nextEvent();
            assertThat(change).isNotNull();
            assertThat(change.event()).isEqualTo("change");
            assertThat(Json.MAPPER.readTree(change.data()).path("key").asString())
                    .isEqualTo("model.a");
            assertThat(Json.MAPPER.readTree(change.data()).path("value").asInt())
                    .isEqualTo(2);
            assertThat(Json.MAPPER.readTree(change.data()).path("version").asLong())
                    .isEqualTo(1);
        }
    }
}
