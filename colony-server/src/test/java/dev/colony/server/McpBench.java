package dev.colony.server;

import dev.colony.Colony;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP tool-call benchmark: latency p50/p99 of {@code task_claim}, {@code task_finish} and {@code memory_put}
 * over streamable HTTP with the Java SDK client, one client, after a warm-up; then tool calls per second with
 * N concurrent clients ({@code memory_put} to own keys). Clients and server share the machine. Run from the
 * repository root (after test-compile): {@code java -cp <test classpath> dev.colony.server.McpBench [calls]
 * [clients]}.
 */
public final class McpBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private McpBench() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        System.out.printf(
                Locale.ROOT,
                "# MCP bench: %d calls per tool, %d clients, JDK %s, %d cores%n",
                calls,
                clients,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        try (Colony colony = Colony.embedded();
                ColonyServer server = ColonyServer.builder()
                        .port(0)
                        .colony(colony)
                        .guard(new TestGuard())
                        .checkpointEvery(null)
                        .endpoint(dev.colony.server.mcp.McpEndpoint::create)
                        .build()
                        .start()) {
            McpSyncClient c = client(server);
            call(c, "colony_join", Map.of("agent", "b0"));
            for (int i = 0; i < calls + 500; i++) {
                call(c, "task_submit", Map.of("agent", "b0", "id", "t" + i, "type", "job", "payload", i));
            }
            latencies(c, 500, false); // warm-up
            long[][] measured = latencies(c, calls, true);
            report("task_claim", measured[0]);
            report("task_finish", measured[1]);
            report("memory_put", measured[2]);
            c.closeGracefully();
            throughput(server, clients, calls);
        }
    }

    private static long[][] latencies(McpSyncClient c, int n, boolean print) {
        long[][] out = new long[3][n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            JsonNode claim = call(c, "task_claim", Map.of("agent", "b0", "types", List.of("job"), "wait", 0));
            long t1 = System.nanoTime();
            JsonNode r = claim.path("result");
            call(
                    c,
                    "task_finish",
                    Map.of(
                            "agent",
                            "b0",
                            "taskId",
                            r.path("taskId").asString(),
                            "token",
                            r.path("token").asLong(),
                            "outcome",
                            "completed"));
            long t2 = System.nanoTime();
            call(c, "memory_put", Map.of("agent", "b0", "namespace", "bench", "key", "k", "value", i));
            long t3 = System.nanoTime();
            out[0][i] = t1 - t0;
            out[1][i] = t2 - t1;
            out[2][i] = t3 - t2;
        }
        return out;
    }

    private static void throughput(ColonyServer server, int clients, int calls) throws Exception {
        List<McpSyncClient> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            McpSyncClient c = client(server);
            call(c, "colony_join", Map.of("agent", "p" + i));
            all.add(c);
        }
        int each = Math.max(1, calls / clients);
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                McpSyncClient c = all.get(i);
                String agent = "p" + i;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < each; k++) {
                        call(c, "memory_put", Map.of("agent", agent, "namespace", "bench", "key", agent, "value", k));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "memory_put with %d clients: %.0f tool calls/s (%d calls)%n",
                clients,
                clients * each / seconds,
                clients * each);
        all.forEach(McpSyncClient::closeGracefully);
    }

    private static void report(String tool, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%-12s p50 %.2f ms  p99 %.2f ms%n",
                tool,
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6);
    }

    private static McpSyncClient client(ColonyServer server) {
        McpSyncClient c = McpClient.sync(
                        HttpClientStreamableHttpTransport.builder(server.uri().toString())
                                .endpoint("/mcp")
                                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer admin"))
                                .build())
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        c.initialize();
        return c;
    }

    private static JsonNode call(McpSyncClient c, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = c.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        JsonNode node = JSON.readTree(((McpSchema.TextContent) r.content().getFirst()).text());
        if (Boolean.TRUE.equals(r.isError())) {
            throw new IllegalStateException(tool + ": " + node);
        }
        return node;
    }
}
