package dev.colony.server;

import dev.colony.server.auth.Guard;
import dev.colony.server.auth.Principal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Fields;
import tools.jackson.databind.JsonNode;

/**
 * The {@code /v1} routes called in the server's own process, for the MCP tools: the same route table, guard
 * checks, account namespaces, audit and outcome codes as over HTTP, without a socket. The caller has
 * authenticated and admitted the principal and checked Host and Origin.
 */
@SuppressWarnings("exports") // JsonNode: only this module's MCP package calls it
public final class LocalApi {
    private static final System.Logger LOG = System.getLogger("dev.colony.server");

    private final List<Route> routes;
    private final List<List<String>> templates;
    private final Guard guard;
    private final ServerLimits limits;
    private final HostPolicy hosts;
    private final boolean stateless;

    LocalApi(List<Route> routes, Guard guard, ServerLimits limits, HostPolicy hosts, boolean stateless) {
        this.hosts = hosts;
        this.stateless = stateless;
        this.routes = List.copyOf(routes);
        this.templates = this.routes.stream().map(Route::segments).toList();
        this.guard = guard;
        this.limits = limits;
    }

    /**
     * One answer: the HTTP status the route gave, its headers, and its JSON body (a problem document with
     * {@code code} and {@code detail} for a status of 400 or more; null for 204).
     */
    public record Answer(int status, Map<String, String> headers, JsonNode body) {
        /** True for a 2xx status. */
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** One server-sent event of a stream: its id (null if none), its event name, and its data as JSON. */
    public record Frame(String id, String event, JsonNode data) {}

    /** The guard the routes check: the MCP layer authenticates and admits with the same one. */
    public Guard guard() {
        return guard;
    }

    /** The Host names the server allows (empty: any). */
    public java.util.Set<String> allowedHosts() {
        return hosts.hosts();
    }

    /** The browser origins allowed besides the same origin. */
    public java.util.Set<String> allowedOrigins() {
        return hosts.origins();
    }

    /** True when endpoints should keep no per-client session (a server on Redis, behind a balancer). */
    public boolean stateless() {
        return stateless;
    }

    /** The longest long-poll the routes allow. */
    public Duration maxWait() {
        return limits.maxWait();
    }

    /**
     * Calls a route.
     *
     * @param path the path, each segment as it is (encoded here), such as {@code List.of("v1", "tasks", id)}
     * @param query query parameters (none: an empty map)
     * @param headers request headers such as {@code If-Match} (none: an empty map)
     * @param body the JSON body as a Jackson-serializable value, or null for none
     */
    public Answer call(
            Principal principal,
            String method,
            List<String> path,
            Map<String, String> query,
            Map<String, String> headers,
            Object body) {
        String joined = join(path);
        Reply reply = dispatch(principal, method, path, joined, query, headers, body);
        if (reply.stream() != null) {
            throw new IllegalArgumentException(method + " " + joined + " is a stream: use stream(...)");
        }
        return new Answer(
                reply.status(),
                reply.headers(),
                reply.body() == null || reply.body().length == 0 ? null : Json.parse(reply.body(), "reply"));
    }

    /**
     * Calls a streaming (SSE) route and collects its frames: waits up to {@code wait} for the first frame that
     * is not {@code ready}, then takes what has arrived by then (at most {@code max} frames), and ends the
     * stream. A route that answers without a stream (an error) gives no frames and its answer.
     */
    public Streamed stream(Principal principal, List<String> path, Map<String, String> query, Duration wait, int max) {
        String joined = join(path);
        Reply reply = dispatch(principal, "GET", path, joined, query, Map.of(), null);
        if (reply.stream() == null) {
            Answer answer = new Answer(
                    reply.status(),
                    reply.headers(),
                    reply.body() == null || reply.body().length == 0 ? null : Json.parse(reply.body(), "reply"));
            return new Streamed(answer, List.of());
        }
        FrameSink sink = new FrameSink(max);
        Thread pump = Thread.ofVirtual().name("colony-local-stream").start(() -> {
            try {
                reply.stream().write(sink);
            } catch (IOException | RuntimeException e) {
                // the sink ended it (full) or the server is stopping: either way this stream is over
            }
        });
        List<Frame> frames = new ArrayList<>();
        try {
            Frame first = sink.frames.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            while (first != null && first.event().equals("ready")) {
                first = sink.frames.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            }
            if (first != null) {
                frames.add(first);
                sink.frames.drainTo(frames, max - 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pump.interrupt();
        }
        frames.removeIf(f -> f.event().equals("ready"));
        return new Streamed(new Answer(200, reply.headers(), null), List.copyOf(frames));
    }

    /** What {@link #stream} collected: the answer (an error, or 200) and the frames. */
    public record Streamed(Answer answer, List<Frame> frames) {}

    private Reply dispatch(
            Principal principal,
            String method,
            List<String> path,
            String joined,
            Map<String, String> query,
            Map<String, String> headers,
            Object body) {
        String[] segments = path.toArray(String[]::new);
        try {
            for (int i = 0; i < routes.size(); i++) {
                Map<String, String> params = Route.match(templates.get(i), encoded(segments));
                Route route = routes.get(i);
                if (params == null || !route.method().equals(method)) {
                    continue;
                }
                Fields fields = new Fields();
                query.forEach(fields::put);
                Map<String, String> lower = new java.util.HashMap<>();
                headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
                byte[] bytes = body == null ? new byte[0] : Json.write(body);
                Call call = new Call(
                        name -> lower.get(name.toLowerCase(Locale.ROOT)),
                        () -> fields,
                        principal,
                        guard,
                        params,
                        bytes);
                return route.handler().handle(call);
            }
            throw Problem.notFound("NO_SUCH_ROUTE", "no route " + method + " " + joined);
        } catch (Problem p) {
            return ColonyHandler.problem(p, joined);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "local call " + method + " " + joined + " failed", e);
            return ColonyHandler.problem(
                    new Problem(
                            500,
                            "INTERNAL",
                            "the server failed: " + e.getClass().getSimpleName()),
                    joined);
        }
    }

    private static String[] encoded(String[] segments) {
        String[] out = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            out[i] = URLEncoder.encode(segments[i], StandardCharsets.UTF_8);
        }
        return out;
    }

    private static String join(List<String> path) {
        return "/" + String.join("/", path);
    }

    /** Parses the SSE bytes a route writes into frames; throws once {@code max} frames are queued, ending it. */
    private static final class FrameSink extends OutputStream {
        final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final int max;

        FrameSink(int max) {
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            pending.write(b, off, len);
            String text = pending.toString(StandardCharsets.UTF_8);
            int end;
            while ((end = text.indexOf("\n\n")) >= 0) {
                parse(text.substring(0, end));
                text = text.substring(end + 2);
            }
            pending.reset();
            pending.write(text.getBytes(StandardCharsets.UTF_8));
            if (frames.size() >= max) {
                throw new IOException("enough frames");
            }
        }

        private void parse(String block) {
            String id = null;
            String event = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            if (!data.isEmpty()) {
                frames.add(new Frame(id, event, Json.fromStored(data.toString().getBytes(StandardCharsets.UTF_8))));
            }
        }
    }
}
