package dev.colony.server;

import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty handler of the API: for every request, in this order, the Host and Origin checks, the route,
 * the body limit, the guard ({@code authenticate}, {@code admit}), then the route's handler, whose
 * {@link Problem}s become {@code application/problem+json} answers. Runs on virtual threads (it blocks).
 */
final class ColonyHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger("dev.colony.server");

    private final List<Route> routes;
    private final List<List<String>> templates = new ArrayList<>();
    private final Guard guard;
    private final ServerLimits limits;
    private final HostPolicy hosts;

    ColonyHandler(List<Route> routes, Guard guard, ServerLimits limits, HostPolicy hosts) {
        super(InvocationType.BLOCKING);
        this.routes = List.copyOf(routes);
        this.routes.forEach(r -> templates.add(r.segments()));
        this.guard = guard;
        this.limits = limits;
        this.hosts = hosts;
    }

    List<Route> routes() {
        return routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Reply reply;
        try {
            reply = dispatch(request);
        } catch (Problem p) {
            reply = problem(p, request.getHttpURI().getPath());
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "request " + request.getMethod() + " "
                            + request.getHttpURI().getPath() + " failed",
                    e);
            reply = problem(
                    new Problem(
                            500,
                            "INTERNAL",
                            "the server failed: " + e.getClass().getSimpleName()),
                    request.getHttpURI().getPath());
        }
        if (!drainArrived(request)) {
            reply = reply.withHeaders(Map.of("Connection", "close"));
        }
        send(reply, response, callback);
        return true;
    }

    /**
     * Whether the request's body is all read, after reading and dropping what has arrived without waiting. An
     * answer given before the body was read (a 401, 404 or 405 does not read it) leaves its rest on the wire, and
     * Jetty then closes the connection after the answer; the answer must say so ({@code Connection: close}), else a
     * client that keeps the connection for its next request (the JDK's pool does) sends it into a closed socket and
     * gets no answer at all (ADR 0057). At most the body limit is dropped.
     */
    private boolean drainArrived(Request request) {
        long dropped = 0;
        while (dropped <= limits.maxBodyBytes()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                return false; // the rest is on its way
            }
            boolean last = chunk.isLast();
            boolean failed = Content.Chunk.isFailure(chunk);
            dropped += chunk.remaining();
            chunk.release();
            if (failed) {
                return false;
            }
            if (last) {
                return true;
            }
        }
        return false;
    }

    private Reply dispatch(Request request) {
        hosts.check(
                request.getHeaders().get(HttpHeader.HOST), request.getHeaders().get(HttpHeader.ORIGIN));
        String path = request.getHttpURI().getPath();
        String[] segments = path == null || path.length() < 2
                ? new String[] {""}
                : path.substring(1).split("/", -1);
        String method = request.getMethod();
        TreeSet<String> allowed = new TreeSet<>();
        for (int i = 0; i < routes.size(); i++) {
            Map<String, String> params = Route.match(templates.get(i), segments);
            if (params == null) {
                continue;
            }
            Route route = routes.get(i);
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            Principal principal = route.open() ? null : authenticate(request);
            byte[] body = readBody(request);
            return route.handler().handle(new Call(request, principal, guard, params, body));
        }
        if (!allowed.isEmpty()) {
            throw new Problem(
                    405,
                    "METHOD_NOT_ALLOWED",
                    method + " is not allowed on " + path + "; allowed: " + String.join(", ", allowed),
                    Map.of("allow", String.join(", ", allowed)));
        }
        throw Problem.notFound("NO_SUCH_ROUTE", "no route " + method + " " + path + " (see GET /openapi.json)");
    }

    private Principal authenticate(Request request) {
        try {
            Principal principal = guard.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            guard.admit(principal);
            return principal;
        } catch (AccessDenied e) {
            throw problem(e);
        }
    }

    private byte[] readBody(Request request) {
        long declared = request.getLength();
        if (declared == 0) {
            return new byte[0];
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > limits.maxBodyBytes()) {
                throw tooLarge(in, declared);
            }
            if (declared > 0) {
                // the usual case, a Content-Length: read into an array of that size (readNBytes(int) would
                // allocate and zero 16 KiB for every request, which showed in the profile, ADR 0056); Jetty
                // ends the content at the declared length, so one more byte is never there
                byte[] body = new byte[(int) declared];
                int n = in.readNBytes(body, 0, body.length);
                if (n < body.length) {
                    throw Problem.badRequest(
                            "the request body ended after " + n + " of its declared " + declared + " bytes");
                }
                return body;
            }
            byte[] body = in.readNBytes(limits.maxBodyBytes() + 1);
            if (body.length > limits.maxBodyBytes()) {
                throw tooLarge(in, -1);
            }
            return body;
        } catch (IOException e) {
            throw Problem.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    /**
     * The 413 for a body over the limit. Up to twice the limit is read and discarded first, so that a client
     * that sends its whole body before reading (most do, unless they use {@code Expect: 100-continue}) gets
     * the answer rather than a reset connection; a larger body is cut off.
     */
    private Problem tooLarge(InputStream in, long declared) throws IOException {
        long budget = 2L * limits.maxBodyBytes();
        byte[] sink = new byte[8192];
        int n;
        while (budget > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, budget))) > 0) {
            budget -= n;
        }
        return new Problem(
                413,
                "PAYLOAD_TOO_LARGE",
                "request body " + (declared >= 0 ? "of " + declared + " bytes " : "") + "is over the limit of "
                        + limits.maxBodyBytes() + " bytes");
    }

    static Problem problem(AccessDenied denied) {
        return new Problem(
                denied.status(),
                denied.code(),
                denied.getMessage(),
                denied.retryAfter()
                        .map(d -> Map.<String, Object>of("retryAfterSeconds", Math.max(1, (d.toMillis() + 999) / 1000)))
                        .orElse(Map.of()));
    }

    static Reply problem(Problem p, String instance) {
        Map<String, Object> doc = Json.obj(
                "type",
                        "https://colony.dev/problems/"
                                + p.code().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                "title", p.title(),
                "status", p.status(),
                "code", p.code(),
                "detail", p.getMessage(),
                "instance", instance);
        doc.putAll(p.extra());
        Reply reply = new Reply(p.status(), Reply.PROBLEM, Map.of(), Json.write(doc), null);
        if (p.extra().get("retryAfterSeconds") instanceof Long seconds) {
            reply = reply.withHeaders(Map.of("Retry-After", Long.toString(seconds)));
        }
        if (p.extra().get("allow") instanceof String allow) {
            reply = reply.withHeaders(Map.of("Allow", allow));
        }
        return reply;
    }

    private static void send(Reply reply, Response response, Callback callback) {
        response.setStatus(reply.status());
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (reply.stream() == null) {
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
            return;
        }
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            reply.stream().write(out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the client went away or the stream ended it; either way the exchange is over
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }
}
