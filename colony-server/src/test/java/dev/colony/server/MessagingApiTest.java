package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MessagingApiTest {
    private final ServerFixture f = new ServerFixture();
    private final Http http = f.admin;

    @AfterEach
    void close() {
        f.close();
    }

    /**
     * Found by the messenger contract through HTTP: the colony inbox behind an HTTP inbox held 16 messages
     * whatever its capacity, so a burst of concurrent senders to an empty inbox could get MAILBOX_FULL. It
     * now takes the inbox's capacity: a burst of up to that many is always delivered.
     */
    @Test
    void send_concurrentBurstWithinCapacity_everyMessageDelivered() throws Exception {
        http.post("/v1/agents", "{\"id\":\"a\"}");
        http.post("/v1/agents", "{\"id\":\"b\"}");
        http.post("/v1/agents/b/inbox", "{\"capacity\":200}");
        java.util.List<CompletableFuture<Http.Res>> sends = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                int n = i;
                sends.add(CompletableFuture.supplyAsync(
                        () -> http.post(
                                "/v1/messages",
                                "{\"from\":\"a\",\"to\":\"b\",\"type\":\"note\",\"payload\":" + n + "}"),
                        threads));
            }
        }

        assertThat(sends).allSatisfy(s -> assertThat(s.join().status()).isEqualTo(200));
        Awaitility.await()
                .atMost(SseClient.generous())
                .until(() -> http.get("/v1/agents/b/inbox?max=1000")
                                .json()
                                .path("messages")
                                .size()
                        == 100);
    }

    @Test
    void sendThenRead_deliversAtLeastOnceUntilAcknowledged() {
        http.post("/v1/agents", "{\"id\":\"a\",\"inbox\":true}");
        http.post("/v1/agents", "{\"id\":\"b\",\"inbox\":true}");
        for (int i = 1; i <= 3; i++) {
            Http.Res sent = http.post(
                    "/v1/messages", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"note\",\"payload\":{\"n\":" + i + "}}");
            assertThat(sent.json().path("outcome").asString()).isEqualTo("DELIVERED");
        }
        Awaitility.await()
                .atMost(SseClient.generous())
                .until(() ->
                        http.get("/v1/agents/b/inbox").json().path("messages").size() == 3);

        JsonNode first = http.get("/v1/agents/b/inbox?max=2").json();
        assertThat(first.path("messages")).hasSize(2);
        assertThat(first.path("messages").get(0).path("message").path("from").asString())
                .isEqualTo("a");
        assertThat(first.path("messages")
                        .get(0)
                        .path("message")
                        .path("payload")
                        .path("n")
                        .asInt())
                .isEqualTo(1);
        long seq = first.path("messages").get(1).path("seq").asLong();
        // not acknowledged yet: read again from 0 gives the same
        assertThat(http.get("/v1/agents/b/inbox?max=2")
                        .json()
                        .path("messages")
                        .get(0)
                        .path("seq")
                        .asLong())
                .isEqualTo(first.path("messages").get(0).path("seq").asLong());

        JsonNode rest = http.get("/v1/agents/b/inbox?after=" + seq).json();
        assertThat(rest.path("messages")).hasSize(1);
        assertThat(rest.path("messages")
                        .get(0)
                        .path("message")
                        .path("payload")
                        .path("n")
                        .asInt())
                .isEqualTo(3);
        http.post(
                "/v1/agents/b/inbox/ack",
                "{\"upTo\":" + rest.path("messages").get(0).path("seq").asLong() + "}");
        assertThat(http.get("/v1/agents/b/inbox").json().path("messages")).isEmpty();
    }

    @Test
    void read_withWait_returnsWhenAMessageArrives() {
        http.post("/v1/agents", "{\"id\":\"b\",\"inbox\":true}");
        CompletableFuture<Http.Res> waiting =
                CompletableFuture.supplyAsync(() -> http.get("/v1/agents/b/inbox?wait=20s"));
        http.post("/v1/messages", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"note\",\"payload\":1}");
        assertThat(waiting.join().json().path("messages")).hasSize(1);
    }

    @Test
    void request_answeredThroughTheInbox_returnsTheReply() throws Exception {
        http.post("/v1/agents", "{\"id\":\"server1\",\"inbox\":true}");
        CompletableFuture<Http.Res> asked = CompletableFuture.supplyAsync(() -> http.post(
                "/v1/messages/request",
                "{\"from\":\"client1\",\"to\":\"server1\",\"type\":\"add\",\"payload\":[2,3],\"timeout\":\"20s\"}"));
        JsonNode read = http.get("/v1/agents/server1/inbox?wait=20s").json();
        long seq = read.path("messages").get(0).path("seq").asLong();

        Http.Res replied = http.post("/v1/agents/server1/inbox/" + seq + "/reply", "{\"payload\":5}");

        assertThat(replied.status()).as(replied.text()).isEqualTo(200);
        JsonNode reply = asked.join().json().path("reply");
        assertThat(reply.path("payload").asInt()).isEqualTo(5);
        assertThat(reply.path("type").asString()).isEqualTo("add.reply");
    }

    @Test
    void request_toNobody_isNoRecipient() {
        Http.Res res =
                http.post("/v1/messages/request", "{\"from\":\"c\",\"to\":\"ghost\",\"type\":\"q\",\"payload\":1}");
        assertThat(res.status()).isEqualTo(404);
        assertThat(res.code()).isEqualTo("NO_RECIPIENT");
    }

    @Test
    void broadcast_byRole_reachesOnlyThatRoleInThisAccount() {
        http.post("/v1/agents", "{\"id\":\"w1\",\"role\":\"worker\",\"inbox\":true}");
        http.post("/v1/agents", "{\"id\":\"w2\",\"role\":\"worker\",\"inbox\":true}");
        http.post("/v1/agents", "{\"id\":\"m1\",\"role\":\"manager\",\"inbox\":true}");
        http.as("other").post("/v1/agents", "{\"id\":\"w9\",\"role\":\"worker\",\"inbox\":true}");

        JsonNode toWorkers = http.post(
                        "/v1/messages/broadcast", "{\"from\":\"m1\",\"role\":\"worker\",\"type\":\"go\",\"payload\":1}")
                .json();
        JsonNode toAll = http.post("/v1/messages/broadcast", "{\"from\":\"m1\",\"type\":\"hi\",\"payload\":1}")
                .json();

        assertThat(toWorkers.path("matched").asInt()).isEqualTo(2);
        assertThat(toAll.path("matched").asInt()).isEqualTo(2); // everyone of acme but the sender
    }

    @Test
    void registry_heartbeatStatusListDeregister() {
        assertThat(http.post(
                                "/v1/agents",
                                "{\"id\":\"w1\",\"role\":\"worker\",\"capabilities\":[\"gpu\"],\"metadata\":{\"v\":\"1\"}}")
                        .status())
                .isEqualTo(201);
        assertThat(http.post("/v1/agents/w1/heartbeat", null).status()).isEqualTo(200);
        assertThat(http.post("/v1/agents/w1/status", "{\"status\":\"IDLE\"}")
                        .json()
                        .path("status")
                        .asString())
                .isEqualTo("IDLE");
        Http.Res illegal = http.post("/v1/agents/w1/status", "{\"status\":\"STARTING\"}");
        assertThat(illegal.status()).isEqualTo(409);
        assertThat(illegal.code()).isEqualTo("ILLEGAL_TRANSITION");

        JsonNode listed = http.get("/v1/agents?role=worker").json().path("agents");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("capabilities").get(0).asString()).isEqualTo("gpu");
        assertThat(listed.get(0).path("role").asString()).isEqualTo("worker");

        assertThat(http.delete("/v1/agents/w1").status()).isEqualTo(204);
        assertThat(http.get("/v1/agents/w1").status()).isEqualTo(404);
    }

    @Test
    void inboxStream_resumesAfterTheLastEventId() throws Exception {
        http.post("/v1/agents", "{\"id\":\"b\",\"inbox\":true}");
        for (int i = 1; i <= 3; i++) {
            http.post("/v1/messages", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"n\",\"payload\":" + i + "}");
        }
        String id;
        try (SseClient sse = new SseClient(f.server.uri(), "/v1/agents/b/inbox/stream", "admin", null, 0)) {
            sse.startReading();
            assertThat(sse.nextEvent().data()).contains("\"payload\":1");
            id = sse.nextEvent().id();
        }
        try (SseClient sse = new SseClient(f.server.uri(), "/v1/agents/b/inbox/stream", "admin", id, 0)) {
            sse.startReading();
            assertThat(sse.nextEvent().data()).contains("\"payload\":3");
        }
        assertThat(http.get("/v1/agents/b/inbox").json().path("messages")).hasSize(1);
    }

    @Test
    void leaders_campaignRenewResign_andFencedWrites() {
        JsonNode won = http.post("/v1/leaders/g/campaign", "{\"agent\":\"a\",\"lease\":\"30s\"}")
                .json();
        long term = won.path("term").asLong();
        assertThat(won.path("leader").asString()).isEqualTo("a");

        Http.Res lost = http.post("/v1/leaders/g/campaign", "{\"agent\":\"b\"}");
        assertThat(lost.status()).isEqualTo(409);
        assertThat(lost.code()).isEqualTo("NOT_LEADER");
        assertThat(lost.json().path("current").path("leader").asString()).isEqualTo("a");

        assertThat(http.post("/v1/leaders/g/renew", "{\"agent\":\"a\",\"term\":" + term + "}")
                        .status())
                .isEqualTo(200);
        String fenced = "{\"value\":1,\"fence\":{\"group\":\"g\",\"term\":" + term + "}}";
        assertThat(http.put("/v1/memory/cfg/k", fenced).status()).isEqualTo(200);
        assertThat(http.post("/v1/leaders/g/resign", "{\"agent\":\"a\",\"term\":" + term + "}")
                        .status())
                .isEqualTo(204);
        long next = http.post("/v1/leaders/g/campaign", "{\"agent\":\"b\"}")
                .json()
                .path("term")
                .asLong();
        assertThat(next).isEqualTo(term + 1);

        Http.Res stale = http.put("/v1/memory/cfg/k", fenced);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.code()).isEqualTo("STALE_TERM");
        assertThat(http.get("/v1/leaders/g").json().path("leader").asString()).isEqualTo("b");
    }
}
