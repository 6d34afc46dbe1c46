package dev.colony.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small client of {@code colony serve}'s {@code /v1} API for the operator commands: JSON in and out, the
 * bearer token on every request, and every error answer turned into a {@link ServerException} whose
 * message is one line: status, problem code and detail (never the token).
 */
final class ServerClient {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final URI base;
    private final String token;

    ServerClient(URI base, String token) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token;
    }

    /** An error answer of the server, or no answer at all; its message is the line the CLI prints. */
    static final class ServerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServerException(String message) {
            super(message);
        }
    }

    /** A path segment or query value, percent-encoded. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return send(request(path).GET(), path);
    }

    JsonNode post(String path, JsonNode body) {
        return send(request(path).POST(bodyOf(body)).header("Content-Type", "application/json"), path);
    }

    /**
     * A PUT, with a precondition when {@code version} is not null: the entry must be at that version ({@code
     * If-Match}), or absent for version 0 ({@code If-None-Match: *}).
     */
    JsonNode put(String path, JsonNode body, Long version) {
        HttpRequest.Builder builder = request(path).PUT(bodyOf(body)).header("Content-Type", "application/json");
        if (version != null && version == 0) {
            builder.header("If-None-Match", "*");
        } else if (version != null) {
            builder.header("If-Match", "\"" + version + "\"");
        }
        return send(builder, path);
    }

    /** A PUT of raw bytes (a WebAssembly module) with their content type. */
    JsonNode putBytes(String path, byte[] body, String contentType) {
        return send(
                request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType),
                path);
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE(), path);
    }

    /** The body of a text answer (such as {@code /metrics}). */
    String text(String path) {
        HttpResponse<String> response = exchange(request(path).GET(), HttpResponse.BodyHandlers.ofString(), path);
        check(response.statusCode(), response.body(), path);
        return response.body();
    }

    /**
     * Reads the SSE stream at {@code path}, handing each frame (event name, id, JSON data) to {@code frames}
     * until it returns false or the stream ends.
     */
    void stream(String path, String lastEventId, Predicate<Frame> frames) {
        HttpRequest.Builder builder =
                request(path).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = exchange(builder, HttpResponse.BodyHandlers.ofInputStream(), path);
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() >= 400) {
                check(response.statusCode(), String.join("\n", reader.lines().toList()), path);
            }
            String event = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (event != null || !data.isEmpty()) {
                        JsonNode node = data.isEmpty() ? null : JSON.readTree(data.toString());
                        if (!frames.test(new Frame(event == null ? "message" : event, id, node))) {
                            return;
                        }
                    }
                    event = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n")
                            .append(line.substring(5).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the stream from " + base + " broke: " + e.getMessage(), e);
        }
    }

    /** One server-sent event. */
    record Frame(String event, String id, JsonNode data) {}

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private static HttpRequest.BodyPublisher bodyOf(JsonNode body) {
        return body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    }

    private JsonNode send(HttpRequest.Builder builder, String path) {
        HttpResponse<String> response = exchange(builder, HttpResponse.BodyHandlers.ofString(), path);
        check(response.statusCode(), response.body(), path);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private <T> HttpResponse<T> exchange(
            HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler, String path) {
        try {
            return HTTP.send(builder.build(), handler);
        } catch (IOException e) {
            throw new ServerException("cannot reach " + base + path + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("interrupted while waiting for " + base + path);
        }
    }

    private void check(int status, String body, String path) {
        if (status < 400) {
            return;
        }
        String code = "HTTP_" + status;
        String detail = body.strip();
        try {
            JsonNode problem = JSON.readTree(body);
            code = problem.path("code").asString(code);
            detail = problem.path("detail").asString(detail);
        } catch (RuntimeException e) {
            // not a problem document (a proxy's page): its text, cut short, is the detail
            detail = detail.length() > 200 ? detail.substring(0, 200) + "..." : detail;
        }
        throw new ServerException(status + " " + code + " from " + path + ": " + detail);
    }
}
