package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.state.TaskStatus;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Quick in-JVM cases of the MCP endpoint with the official Java SDK's client (the Node client covers the rest). */
class McpJavaClientTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ServerFixture f = new ServerFixture();
    private McpSyncClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.closeGracefully();
        }
        f.close();
    }

    private McpSyncClient client(String token) {
        return client(f.server, token);
    }

    private McpSyncClient client(ColonyServer server, String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        server.uri().toString())
                .endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(40)).build();
        client.initialize();
        return client;
    }

    private static JsonNode call(McpSyncClient c, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = c.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        String text = ((McpSchema.TextContent) r.content().getFirst()).text();
        JsonNode node = JSON.readTree(text);
        assertThat(r.isError()).as(text).isEqualTo(node.has("error"));
        return node;
    }

    @Test
    void toolsList_isTheTwelveToolsUnder16KB() {
        McpSchema.ListToolsResult tools = client("admin").listTools();

        assertThat(tools.tools())
                .extracting(McpSchema.Tool::name)
                .containsExactly(
                        "colony_join",
                        "swarm_status",
                        "task_submit",
                        "task_claim",
                        "task_progress",
                        "task_finish",
                        "message_send",
                        "inbox_read",
                        "memory_get",
                        "memory_put",
                        "lock",
                        "events_wait");
        int bytes = JSON.writeValueAsString(tools).getBytes(StandardCharsets.UTF_8).length;
        System.out.println("[tools/list] " + bytes + " bytes");
        assertThat(bytes).isLessThan(16 * 1024);
    }

    @Test
    void submitClaimFinish_throughTools_taskCompletedInTheColony() {
        McpSyncClient c = client("admin");
        call(c, "colony_join", Map.of("agent", "w1", "role", "worker"));
        call(c, "task_submit", Map.of("agent", "w1", "id", "t1", "type", "review", "payload", Map.of("pr", 7)));

        JsonNode claim = call(c, "task_claim", Map.of("agent", "w1", "types", List.of("review"), "wait", 1));
        assertThat(claim.path("result").path("claimed").asBoolean()).isTrue();
        assertThat(claim.path("you").path("leases").get(0).path("taskId").asString())
                .isEqualTo("t1");
        long token = claim.path("result").path("token").asLong();

        JsonNode done =
                call(c, "task_finish", Map.of("agent", "w1", "taskId", "t1", "token", token, "outcome", "completed"));
        assertThat(done.has("error")).isFalse();
        assertThat(done.path("you").path("leases")).isEmpty();
        assertThat(f.colony.tasks().get("acme_t1").orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);

        JsonNode again =
                call(c, "task_finish", Map.of("agent", "w1", "taskId", "t1", "token", token, "outcome", "completed"));
        assertThat(again.path("error").asString()).isEqualTo("NOT_CLAIMED");
    }

    /** Agent w1 joins, submits review tasks t1 and t2, claims t1; returns the claim's token. */
    private static long twoReviewsFirstClaimed(McpSyncClient c) {
        call(c, "colony_join", Map.of("agent", "w1", "role", "worker"));
        call(c, "task_submit", Map.of("agent", "w1", "id", "t1", "type", "review", "payload", 1));
        call(c, "task_submit", Map.of("agent", "w1", "id", "t2", "type", "review", "payload", 2));
        return call(c, "task_claim", Map.of("agent", "w1", "types", List.of("review"), "wait", 1))
                .path("result")
                .path("token")
                .asLong();
    }

    @Test
    void finishWithNextTypes_completesAndClaimsTheNextTaskInOneCall() {
        McpSyncClient c = client("admin");
        long token = twoReviewsFirstClaimed(c);

        JsonNode done = call(
                c,
                "task_finish",
                Map.of(
                        "agent",
                        "w1",
                        "taskId",
                        "t1",
                        "token",
                        token,
                        "outcome",
                        "completed",
                        "nextTypes",
                        List.of("review"),
                        "nextLease",
                        60));

        assertThat(done.path("result").path("outcome").asString())
                .as(done.toString())
                .isEqualTo("OK");
        JsonNode next = done.path("result").path("next");
        assertThat(next.path("claimed").asBoolean()).isTrue();
        assertThat(next.path("taskId").asString()).isEqualTo("t2");
        assertThat(f.colony.tasks().get("acme_t1").orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(f.colony.tasks().get("acme_t2").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);

        JsonNode stale = call(
                c,
                "task_finish",
                Map.of(
                        "agent", "w1",
                        "taskId", "t1",
                        "token", token,
                        "outcome", "completed",
                        "nextTypes", List.of("review")));
        assertThat(stale.path("result").path("outcome").asString()).isEqualTo("NOT_CLAIMED");
        assertThat(stale.path("result").path("next").path("claimed").asBoolean())
                .isFalse();

        JsonNode last = call(
                c,
                "task_finish",
                Map.of(
                        "agent",
                        "w1",
                        "taskId",
                        "t2",
                        "token",
                        next.path("token").asLong(),
                        "outcome",
                        "completed"));
        assertThat(last.has("error")).as(last.toString()).isFalse();
        assertThat(f.colony.tasks().get("acme_t2").orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void finishWithNextTypes_badCombinations_areRefusedAndChangeNothing() {
        McpSyncClient c = client("admin");
        long token = twoReviewsFirstClaimed(c);

        JsonNode failed = call(
                c,
                "task_finish",
                Map.of(
                        "agent", "w1",
                        "taskId", "t1",
                        "token", token,
                        "outcome", "failed",
                        "nextTypes", List.of("review")));
        JsonNode leaseOnly = call(
                c,
                "task_finish",
                Map.of("agent", "w1", "taskId", "t1", "token", token, "outcome", "completed", "nextLease", 60));
        JsonNode fenced = call(
                c,
                "task_finish",
                Map.of(
                        "agent",
                        "w1",
                        "taskId",
                        "t1",
                        "token",
                        token,
                        "outcome",
                        "completed",
                        "fence",
                        Map.of("lock", "l", "term", 1),
                        "nextTypes",
                        List.of("review")));

        assertThat(failed.path("detail").asString()).contains("nextTypes works with outcome completed only");
        assertThat(leaseOnly.path("detail").asString()).contains("nextLease needs nextTypes");
        assertThat(fenced.path("detail").asString()).contains("cannot go with a fence");
        assertThat(List.of(failed, leaseOnly, fenced))
                .allSatisfy(r -> assertThat(r.path("error").asString()).isEqualTo("BAD_REQUEST"));
        assertThat(f.colony.tasks().get("acme_t1").orElseThrow().status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(f.colony.tasks().get("acme_t2").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    void memoryPut_staleVersion_isCasConflictWithTheCurrentEntry() {
        McpSyncClient c = client("admin");
        call(c, "colony_join", Map.of("agent", "w1"));
        JsonNode first = call(c, "memory_put", Map.of("agent", "w1", "namespace", "notes", "key", "k", "value", 1));
        long version = first.path("result").path("version").asLong();
        call(
                c,
                "memory_put",
                Map.of("agent", "w1", "namespace", "notes", "key", "k", "value", 2, "expectVersion", version));

        JsonNode stale = call(
                c,
                "memory_put",
                Map.of("agent", "w1", "namespace", "notes", "key", "k", "value", 3, "expectVersion", version));

        assertThat(stale.path("error").asString()).isEqualTo("CAS_CONFLICT");
        assertThat(stale.path("current").path("value").asInt()).isEqualTo(2);
        assertThat(f.colony.memory().get("acme_notes", "k").orElseThrow().valueAsString())
                .isEqualTo("2");
    }

    @Test
    void claim_asAnotherAgent_isRefusedAsForbiddenToolError() {
        McpSyncClient c = client("bob");

        JsonNode refused = call(c, "task_claim", Map.of("agent", "eve", "types", List.of("review"), "wait", 0));

        assertThat(refused.path("error").asString()).isEqualTo("FORBIDDEN");
        assertThat(refused.path("detail").asString()).contains("eve");
    }

    @Test
    void eventsWait_afterPublish_returnsTheEventAndACursor() {
        McpSyncClient c = client("admin");
        call(c, "colony_join", Map.of("agent", "w1"));
        Thread.ofVirtual().start(() -> {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> f.server.streams() > 0);
            f.admin.post("/v1/events/build.done", "{\"n\":1}");
        });

        JsonNode events = call(c, "events_wait", Map.of("agent", "w1", "pattern", "build.>", "wait", 20));

        assertThat(events.path("result").path("events").get(0).path("subject").asString())
                .isEqualTo("build.done");
        assertThat(events.path("result").path("cursor").asString()).isNotEmpty();
    }

    @Test
    void statelessServers_claimOnOneFinishOnTheOther_noAffinityNeeded() {
        try (ColonyServer one = ColonyServer.builder()
                        .port(0)
                        .colony(f.colony)
                        .guard(f.guard)
                        .statelessMcp(true)
                        .plugins(f.server.plugins()) // one plugin host per colony
                        .endpoint(dev.colony.server.mcp.McpEndpoint::create)
                        .build()
                        .start();
                ColonyServer two = ColonyServer.builder()
                        .port(0)
                        .colony(f.colony)
                        .guard(f.guard)
                        .statelessMcp(true)
                        .plugins(f.server.plugins()) // one plugin host per colony
                        .endpoint(dev.colony.server.mcp.McpEndpoint::create)
                        .build()
                        .start()) {
            McpSyncClient a = client(one, "admin");
            McpSyncClient b = client(two, "admin");
            call(a, "colony_join", Map.of("agent", "w1"));
            call(b, "task_submit", Map.of("agent", "w1", "id", "t9", "type", "review", "payload", 1));
            JsonNode claim = call(a, "task_claim", Map.of("agent", "w1", "types", List.of("review"), "wait", 1));

            JsonNode done = call(
                    b,
                    "task_finish",
                    Map.of(
                            "agent", "w1",
                            "taskId", "t9",
                            "token", claim.path("result").path("token").asLong(),
                            "outcome", "completed"));

            assertThat(done.has("error")).as(done.toString()).isFalse();
            assertThat(f.colony.tasks().get("acme_t9").orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
            a.closeGracefully();
        }
    }
}
