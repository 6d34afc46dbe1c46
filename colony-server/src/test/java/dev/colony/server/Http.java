package dev.colony.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A small HTTP client for the tests: JSON in, {@link Res} out, with a bearer token and extra headers.
 *
 * <p>The JDK client under it belongs to whoever made it with {@link #newClient()} (a fixture), and is closed with
 * {@link #close(HttpClient)} before that fixture's server stops: its keep-alive connections then end with it
 * instead of idling in a pool shared by every test (ADR 0057), and the server's graceful stop does not wait a
 * second for them to time out.
 */
final class Http {
    /** A JDK client as the tests use it: HTTP/1.1, a 10 s connect timeout. The caller closes it. */
    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Closes a client at the end of a test: requests still running (a long-poll that outlived its test) are
     * aborted, every connection is closed, and this waits up to 10 s for the client's threads to finish.
     */
    static void close(HttpClient client) {
        client.shutdownNow();
        try {
            if (!client.awaitTermination(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the test's HTTP client did not terminate within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response: status, headers and the body (parsed when JSON). */
    record Res(int status, Map<String, List<String>> headers, String text) {
        JsonNode json() {
            return Json.MAPPER.readTree(text);
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }

        String code() {
            return json().path("code").asString();
        }
    }

    private final HttpClient client;
    private final URI base;
    private final String token;
    private final List<String> extra;

    /** Requests to {@code base} through {@code client} (which the caller owns), with this token and headers. */
    Http(HttpClient client, URI base, String token, String... headers) {
        this.client = client;
        this.base = base;
        this.token = token;
        this.extra = List.of(headers);
    }

    Http as(String otherToken) {
        return new Http(client, base, otherToken, extra.toArray(String[]::new));
    }

    Http with(String... headers) {
        List<String> all = new ArrayList<>(extra);
        all.addAll(List.of(headers));
        return new Http(client, base, token, all.toArray(String[]::new));
    }

    /** The JDK client under this one, for a test that builds its own requests. */
    HttpClient client() {
        return client;
    }

    Res get(String path) {
        return send("GET", path, null);
    }

    Res post(String path, String json) {
        return send("POST", path, json);
    }

    Res put(String path, String json) {
        return send("PUT", path, json);
    }

    Res delete(String path) {
        return send("DELETE", path, null);
    }

    /** The body of {@code GET path} as bytes (a snapshot file), or the exception {@link HttpWire} maps it to. */
    byte[] bytes(String path) {
        HttpRequest.Builder b = request(path).GET();
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw HttpWire.failure(
                        new Res(r.statusCode(), r.headers().map(), new String(r.body(), StandardCharsets.UTF_8)));
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST path} with {@code body} as {@code application/octet-stream}. */
    Res postBytes(String path, byte[] body) {
        HttpRequest.Builder b = request(path)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return send(b.build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < extra.size(); i += 2) {
            b.header(extra.get(i), extra.get(i + 1));
        }
        return b;
    }

    Res send(String method, String path, String json) {
        HttpRequest.Builder b = request(path);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(b.build());
    }

    /**
     * A request the test built itself (its own headers), through this client. A request that met a pooled
     * connection the server had already closed (the JDK's "header parser received no bytes": not one byte of an
     * answer came) is sent again, at most twice, as HTTP clients do for a stale keep-alive connection (OkHttp's
     * {@code retryOnConnectionFailure}, Apache's {@code NoHttpResponseException}). The JDK client does not for a
     * POST. A server that had handled the first one would show it: the contracts count every message and task
     * exactly once, so a retry can surface a duplicate but never hide a loss.
     */
    Res send(HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                return new Res(r.statusCode(), r.headers().map(), r.body());
            } catch (IOException e) {
                if (attempt < 3 && staleConnection(e)) {
                    System.err.println("[http] " + request.method() + " "
                            + request.uri().getPath()
                            + ": the pooled connection was closed before any answer; sending again (" + e + ")");
                    continue;
                }
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean staleConnection(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("header parser received no bytes")) {
                return true;
            }
        }
        return false;
    }
}
