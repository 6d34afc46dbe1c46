package dev.colony.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relays MCP's stdio transport (one JSON-RPC message a line) to a server's streamable-HTTP endpoint
 * ({@code /mcp}): each message is POSTed with the bearer token and the session id; JSON and SSE answers go
 * back as lines. Requests run concurrently (a blocking {@code task_claim} does not hold up a ping), except
 * {@code initialize}, which sets the session. An HTTP refusal of a request becomes its JSON-RPC error.
 */
final class StdioBridge {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final URI health;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String session;
    private volatile String protocolVersion;

    StdioBridge(URI base, String token) {
        String root = base.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(root + "/mcp");
        this.health = URI.create(root + "/health/live");
        this.token = token;
    }

    /** Fails with one line naming the URL when no server answers there. */
    void checkReachable() {
        try {
            http.send(
                    HttpRequest.newBuilder(health)
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            String why = e instanceof ConnectException
                    ? "connection refused"
                    : e.getClass().getSimpleName();
            throw new IllegalStateException("no colony server at " + health.resolve("/") + " (" + why
                    + "): start one with `colony serve`, set COLONY_URL, or run `colony mcp --embedded`");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Relays until standard input ends, then ends the session. */
    void relay(BufferedReader in, PrintStream out) throws IOException, InterruptedException {
        ExecutorService pending = Executors.newVirtualThreadPerTaskExecutor();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String message = line;
            JsonNode node = JSON.readTree(message);
            if ("initialize".equals(node.path("method").asString(null)) || !node.has("id")) {
                post(node, message, out); // the session starts here; notifications are short
            } else {
                pending.submit(() -> {
                    post(node, message, out);
                    return null;
                });
            }
        }
        pending.shutdown();
        pending.awaitTermination(30, TimeUnit.SECONDS);
        if (session != null) {
            try {
                http.send(request().DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // the server went away: the session ends with it
            }
        }
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, text/event-stream");
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        if (protocolVersion != null) {
            b.header("MCP-Protocol-Version", protocolVersion);
        }
        return b;
    }

    private void post(JsonNode node, String message, PrintStream out) throws InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(
                    request()
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(message))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            reply(out, node, -32000, "colony server at " + endpoint + " unreachable: " + e.getMessage());
            return;
        }
        response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> session = id);
        try (InputStream body = response.body()) {
            if (response.statusCode() >= 400) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                System.err.println("colony mcp: the server answered " + response.statusCode() + ": " + text);
                reply(out, node, -32000, "colony server answered HTTP " + response.statusCode() + ": " + text);
                return;
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("text/event-stream")) {
                events(body, node, out);
            } else if (type.startsWith("application/json")) {
                emit(out, JSON.readTree(body), node);
            }
        } catch (IOException e) {
            reply(out, node, -32000, "reading the answer from " + endpoint + " failed: " + e.getMessage());
        }
    }

    private void events(InputStream body, JsonNode request, PrintStream out) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty() && !data.isEmpty()) {
                emit(out, JSON.readTree(data.toString()), request);
                data.setLength(0);
            }
        }
        if (!data.isEmpty()) {
            emit(out, JSON.readTree(data.toString()), request);
        }
    }

    private void emit(PrintStream out, JsonNode message, JsonNode request) {
        if ("initialize".equals(request.path("method").asString(null))) {
            String version = message.path("result").path("protocolVersion").asString(null);
            if (version != null) {
                protocolVersion = version;
            }
        }
        String text = JSON.writeValueAsString(message);
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    private void reply(PrintStream out, JsonNode request, int code, String detail) {
        if (!request.has("id")) {
            System.err.println("colony mcp: " + detail);
            return;
        }
        ObjectNode error = JSON.createObjectNode();
        error.put("jsonrpc", "2.0");
        error.set("id", request.get("id"));
        error.putObject("error").put("code", code).put("message", detail);
        emit(out, error, request);
    }
}
