package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.Colony;
import dev.colony.redis.RedisServer;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.RateLimit;
import dev.colony.server.mcp.McpEndpoint;
import dev.colony.state.TaskStatus;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * MCP on Redis (issue 18): two {@code colony serve} servers, each with its own colony over one real Redis swarm and
 * the stateless MCP transport, behind no affinity. Each MCP client (the official Java SDK's) sends its requests to
 * the two servers in turn, {@code initialize} to one and the next request to the other, as a round-robin balancer
 * would; the results are those of one server. What does not move between servers is an agent's open inbox (it lives
 * in the server that opened it, docs/serve.md): mail sent through either server reaches it, read through that one.
 */
class McpRedisTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static RedisServer redis;

    @TempDir
    Path data;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<ColonyServer, Colony> colonies = new ConcurrentHashMap<>();
    private String token;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    /** Two servers, each over its own colony on the same fresh swarm, sharing the token file as one deployment. */
    private List<ColonyServer> twoServers(boolean stateless) throws Exception {
        String swarm = "mcp" + SWARMS.incrementAndGet();
        List<ColonyServer> servers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Colony colony = Colony.builder().redis(redis.uri()).swarm(swarm).build();
            resources.add(colony);
            ColonyServer server = ColonyServer.builder()
                    .port(0)
                    .colony(colony)
                    .guard(Guard.builder(data, colony.bus())
                            .rateLimit(RateLimit.UNLIMITED) // clients call as fast as the machine allows
                            .build())
                    .statelessMcp(stateless)
                    .endpoint(McpEndpoint::create)
                    .build()
                    .start();
            resources.add(server);
            servers.add(server);
            colonies.put(server, colony);
        }
        token = Files.readString(data.resolve("initial-admin-token")).strip();
        return servers;
    }

    /** The colony behind {@code server}, to check the effects of tool calls through the Java API. */
    private Colony observer(ColonyServer server) {
        return colonies.get(server);
    }

    /**
     * An MCP client whose requests go to {@code servers} in turn (the first to the first server): a balancer without
     * affinity. {@code sent} counts the requests per server.
     */
    private McpSyncClient alternating(List<ColonyServer> servers, Map<Integer, AtomicInteger> sent) {
        AtomicLong next = new AtomicLong();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        servers.getFirst().uri().toString())
                .endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .addHttpRequestCustomizer((builder, method, uri, body, context) -> {
                    int i = (int) (next.getAndIncrement() % servers.size());
                    sent.computeIfAbsent(i, _ -> new AtomicInteger()).incrementAndGet();
                    builder.uri(servers.get(i).uri().resolve("/mcp"));
                })
                .build();
        McpSyncClient client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        resources.add(client::closeGracefully);
        client.initialize();
        return client;
    }

    private McpSyncClient alternating(List<ColonyServer> servers) {
        return alternating(servers, new ConcurrentHashMap<>());
    }

    /** An MCP client of one server only. */
    private McpSyncClient pinned(ColonyServer server) {
        return alternating(List.of(server));
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
    void joinSubmitClaimFinish_onAlternateServers_taskCompletedOnce() throws Exception {
        List<ColonyServer> servers = twoServers(true);
        McpSyncClient one = pinned(servers.get(0));
        McpSyncClient two = pinned(servers.get(1));

        call(one, "colony_join", Map.of("agent", "w1", "role", "worker"));
        call(two, "task_submit", Map.of("agent", "w1", "id", "t1", "type", "review", "payload", Map.of("pr", 7)));
        JsonNode claim = call(two, "task_claim", Map.of("agent", "w1", "types", List.of("review"), "wait", 5));
        assertThat(claim.path("result").path("claimed").asBoolean())
                .as(claim.toString())
                .isTrue();
        assertThat(claim.path("you").path("leases").get(0).path("taskId").asString())
                .isEqualTo("t1");
        long lease = claim.path("result").path("token").asLong();
        JsonNode done =
                call(one, "task_finish", Map.of("agent", "w1", "taskId", "t1", "token", lease, "outcome", "completed"));
        JsonNode again =
                call(two, "task_finish", Map.of("agent", "w1", "taskId", "t1", "token", lease, "outcome", "completed"));

        assertThat(done.has("error")).as(done.toString()).isFalse();
        assertThat(done.path("you").path("leases")).isEmpty();
        assertThat(again.path("error").asString()).isEqualTo("NOT_CLAIMED");
        for (ColonyServer server : servers) {
            assertThat(observer(server).tasks().get("admin_t1").orElseThrow().status())
                    .isEqualTo(TaskStatus.COMPLETED);
        }
    }

    @Test
    void alternatingClient_everyRequestToTheOtherServer_worksOnlyWithTheStatelessTransport() throws Exception {
        Map<Integer, AtomicInteger> sent = new ConcurrentHashMap<>();
        McpSyncClient c = alternating(twoServers(true), sent);

        call(c, "colony_join", Map.of("agent", "w1"));
        JsonNode status = call(c, "swarm_status", Map.of("agent", "w1"));

        assertThat(status.path("result").path("agents").toString()).contains("w1");
        assertThat(sent.get(0).get()).isPositive();
        assertThat(sent.get(1).get()).isPositive();

        // the control: with sessions, the second server does not know the session the first one opened
        List<ColonyServer> stateful = twoServers(false);
        assertThatThrownBy(() -> call(alternating(stateful), "swarm_status", Map.of("agent", "w1")))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void memory_clientsAlternatingServers_ownKeysAllThereAndCasCounterExact() throws Exception {
        List<ColonyServer> servers = twoServers(true);
        int clients = 6;
        int increments = 5;
        List<McpSyncClient> agents = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            McpSyncClient c = alternating(servers);
            call(c, "colony_join", Map.of("agent", "m" + i));
            agents.add(c);
        }
        call(
                agents.getFirst(),
                "memory_put",
                Map.of("agent", "m0", "namespace", "n", "key", "counter", "value", 0, "expectVersion", 0));
        AtomicInteger conflicts = new AtomicInteger();

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = i;
                McpSyncClient c = agents.get(i);
                String agent = "m" + n;
                done.add(pool.submit(() -> {
                    call(c, "memory_put", Map.of("agent", agent, "namespace", "n", "key", "own." + n, "value", n));
                    for (int k = 0; k < increments; k++) {
                        while (true) {
                            JsonNode got =
                                    call(c, "memory_get", Map.of("agent", agent, "namespace", "n", "key", "counter"));
                            long version = got.path("result").path("version").asLong();
                            int value = got.path("result").path("value").asInt();
                            JsonNode put = call(
                                    c,
                                    "memory_put",
                                    Map.of(
                                            "agent",
                                            agent,
                                            "namespace",
                                            "n",
                                            "key",
                                            "counter",
                                            "value",
                                            value + 1,
                                            "expectVersion",
                                            version));
                            if (!put.has("error")) {
                                break;
                            }
                            assertThat(put.path("error").asString()).isEqualTo("CAS_CONFLICT");
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(4, TimeUnit.MINUTES);
            }
        }

        Colony colony = observer(servers.get(1));
        for (int i = 0; i < clients; i++) {
            assertThat(colony.memory().get("admin_n", "own." + i).orElseThrow().valueAsString())
                    .isEqualTo(Integer.toString(i));
        }
        assertThat(colony.memory().get("admin_n", "counter").orElseThrow().valueAsString())
                .isEqualTo(Integer.toString(clients * increments));
        System.out.println("[mcp redis] counter " + clients * increments + " after " + conflicts + " CAS conflicts");
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void tasks_agentsAlternatingServers_noneLostNoneFinishedTwice() throws Exception {
        List<ColonyServer> servers = twoServers(true);
        int tasks = 60;
        int workers = 4;
        McpSyncClient submitter = alternating(servers);
        call(submitter, "colony_join", Map.of("agent", "lead"));
        for (int t = 0; t < tasks; t++) {
            call(submitter, "task_submit", Map.of("agent", "lead", "id", "j" + t, "type", "job", "payload", t));
        }
        List<String> finished = new CopyOnWriteArrayList<>();
        Set<String> finishedBy = ConcurrentHashMap.newKeySet();

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String agent = "w" + w;
                McpSyncClient c = alternating(servers);
                call(c, "colony_join", Map.of("agent", agent, "role", "worker"));
                done.add(pool.submit(() -> {
                    while (finished.size() < tasks) {
                        JsonNode claim =
                                call(c, "task_claim", Map.of("agent", agent, "types", List.of("job"), "wait", 1));
                        if (!claim.path("result").path("claimed").asBoolean()) {
                            continue;
                        }
                        String id = claim.path("result").path("taskId").asString();
                        JsonNode fin = call(
                                c,
                                "task_finish",
                                Map.of(
                                        "agent",
                                        agent,
                                        "taskId",
                                        id,
                                        "token",
                                        claim.path("result").path("token").asLong(),
                                        "outcome",
                                        "completed",
                                        "result",
                                        agent));
                        assertThat(fin.has("error")).as(fin.toString()).isFalse();
                        finished.add(id);
                        finishedBy.add(agent);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(7, TimeUnit.MINUTES);
            }
        }

        assertThat(finished).hasSize(tasks).doesNotHaveDuplicates();
        Colony colony = observer(servers.getFirst());
        for (int t = 0; t < tasks; t++) {
            assertThat(colony.tasks().get("admin_j" + t).orElseThrow().status())
                    .as("j" + t)
                    .isEqualTo(TaskStatus.COMPLETED);
        }
        System.out.println("[mcp redis] " + tasks + " tasks finished by " + finishedBy);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void leaseExpires_taskClaimedOnOneServerFinishedOnceByAnotherAgentThroughBoth() throws Exception {
        List<ColonyServer> servers = twoServers(true);
        McpSyncClient gone = pinned(servers.get(0));
        McpSyncClient other = alternating(servers);
        call(gone, "colony_join", Map.of("agent", "gone"));
        call(other, "colony_join", Map.of("agent", "w1"));
        call(gone, "task_submit", Map.of("agent", "gone", "id", "l1", "type", "slow", "payload", 1));
        JsonNode first =
                call(gone, "task_claim", Map.of("agent", "gone", "types", List.of("slow"), "wait", 5, "lease", 1));
        assertThat(first.path("result").path("claimed").asBoolean())
                .as(first.toString())
                .isTrue();

        // the first agent stops here (no progress, no finish); another claims the task once its lease is over
        JsonNode second = null;
        for (int round = 0; round < 12; round++) {
            second = call(other, "task_claim", Map.of("agent", "w1", "types", List.of("slow"), "wait", 5));
            if (second.path("result").path("claimed").asBoolean()) {
                break;
            }
        }
        JsonNode done = call(
                other,
                "task_finish",
                Map.of(
                        "agent",
                        "w1",
                        "taskId",
                        "l1",
                        "token",
                        second.path("result").path("token").asLong(),
                        "outcome",
                        "completed"));
        JsonNode late = call(
                gone,
                "task_finish",
                Map.of(
                        "agent",
                        "gone",
                        "taskId",
                        "l1",
                        "token",
                        first.path("result").path("token").asLong(),
                        "outcome",
                        "completed"));

        assertThat(second.path("result").path("attempt").asInt())
                .as(second.toString())
                .isEqualTo(2);
        assertThat(done.has("error")).as(done.toString()).isFalse();
        assertThat(late.path("error").asString()).isIn("STALE_LEASE", "NOT_CLAIMED");
        assertThat(observer(servers.get(1))
                        .tasks()
                        .get("admin_l1")
                        .orElseThrow()
                        .status())
                .isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void inbox_livesInTheServerThatOpenedIt_mailThroughEitherServerReachesIt() throws Exception {
        List<ColonyServer> servers = twoServers(true);
        McpSyncClient one = pinned(servers.get(0));
        McpSyncClient two = pinned(servers.get(1));
        call(one, "colony_join", Map.of("agent", "lead"));
        call(two, "colony_join", Map.of("agent", "w1"));

        call(one, "message_send", Map.of("agent", "lead", "to", "w1", "type", "note", "payload", Map.of("n", 1)));
        call(two, "message_send", Map.of("agent", "lead", "to", "w1", "type", "note", "payload", Map.of("n", 2)));
        List<Integer> seen = new ArrayList<>();
        long cursor = 0;
        for (int round = 0; round < 20 && seen.size() < 2; round++) {
            JsonNode read = call(two, "inbox_read", Map.of("agent", "w1", "after", cursor, "wait", 5));
            for (JsonNode m : read.path("result").path("messages")) {
                seen.add(m.path("message").path("payload").path("n").asInt());
            }
            cursor = read.path("result").path("cursor").asLong();
        }
        JsonNode elsewhere = call(one, "inbox_read", Map.of("agent", "w1", "wait", 0));

        assertThat(seen).containsExactlyInAnyOrder(1, 2);
        assertThat(elsewhere.path("error").asString()).isEqualTo("NO_SUCH_AGENT");
        assertThat(elsewhere.path("detail").asString()).contains("no open inbox here");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void serveRedis_usesTheStatelessTransport(@TempDir Path dir) throws Exception {
        try (ServeProcess serve = ServeProcess.start(
                Map.of(),
                "--port",
                "0",
                "--redis",
                redis.uri(),
                "--swarm",
                "serve" + SWARMS.incrementAndGet(),
                "--data",
                dir.toString())) {
            String admin = Files.readString(dir.resolve("initial-admin-token")).strip();

            HttpResponse<String> init = post(serve.uri(), admin, INITIALIZE);
            HttpResponse<String> call = post(serve.uri(), admin, STATUS_CALL);

            assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
            assertThat(init.headers().firstValue("Mcp-Session-Id")).isEmpty();
            assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
            assertThat(call.body()).contains("queued").contains("\"isError\":false");
        }
    }

    /** The control of the raw check above: a server with sessions names one and refuses a call without it. */
    @Test
    void sessionServer_rawCallWithoutSession_isRefused() throws Exception {
        ColonyServer server = twoServers(false).getFirst();

        HttpResponse<String> init = post(server.uri(), token, INITIALIZE);
        HttpResponse<String> call = post(server.uri(), token, STATUS_CALL);

        assertThat(init.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(call.statusCode()).isEqualTo(400);
    }

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
            "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
    private static final String STATUS_CALL = """
            {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"swarm_status","arguments":{"agent":"raw"}}}""";

    private static HttpResponse<String> post(URI server, String token, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(server.resolve("/mcp"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .header("MCP-Protocol-Version", "2025-06-18")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
