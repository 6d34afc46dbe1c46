package dev.colony.server;

import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Action;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.Principal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import tools.jackson.databind.JsonNode;

/**
 * One request as a route sees it: the principal and its namespace, the path and query parameters, the body
 * as JSON, and the guard's checks. Every accessor that reads client input answers bad input with a 400
 * naming the parameter and quoting the value.
 */
final class Call {
    private final UnaryOperator<String> headers;
    private final Supplier<Fields> queryParameters;
    private final Principal principal;
    private final Namespace namespace;
    private final Guard guard;
    private final Map<String, String> params;
    private final byte[] body;
    private Fields query;
    private JsonNode json;

    Call(Request request, Principal principal, Guard guard, Map<String, String> params, byte[] body) {
        this(
                name -> request.getHeaders().get(name),
                () -> Request.extractQueryParameters(request),
                principal,
                guard,
                params,
                body);
    }

    /** A call made in the server's own process ({@link LocalApi}): headers and query given, not read off a request. */
    Call(
            UnaryOperator<String> headers,
            Supplier<Fields> query,
            Principal principal,
            Guard guard,
            Map<String, String> params,
            byte[] body) {
        this.headers = headers;
        this.queryParameters = query;
        this.principal = principal;
        this.namespace = principal == null ? null : new Namespace(principal.account());
        this.guard = guard;
        this.params = params;
        this.body = body;
    }

    Principal principal() {
        return principal;
    }

    Namespace ns() {
        return namespace;
    }

    String path(String name) {
        return params.get(name);
    }

    String header(String name) {
        return headers.apply(name);
    }

    Optional<String> query(String name) {
        if (query == null) {
            query = queryParameters.get();
        }
        return Optional.ofNullable(query.getValue(name));
    }

    /** The query parameter as a duration: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601. */
    Optional<Duration> duration(String name) {
        return query(name).map(value -> parseDuration(name, value));
    }

    Optional<Integer> integer(String name, int min, int max) {
        return query(name).map(value -> {
            try {
                int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    throw Problem.badRequest(
                            "query parameter " + name + " must be from " + min + " to " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw Problem.badRequest("query parameter " + name + " must be an integer, got \"" + value + "\"");
            }
        });
    }

    /** The body's bytes as received (empty when there is none). */
    byte[] body() {
        return body;
    }

    /** The body as JSON (400 if missing or malformed, 415 if declared as something else). */
    JsonNode json() {
        if (json == null) {
            String type = header("Content-Type");
            if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                throw new Problem(
                        415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json, got \"" + type + "\"");
            }
            if (body.length == 0) {
                throw Problem.badRequest("request body is missing: expected a JSON document");
            }
            json = Json.parse(body, "request body");
        }
        return json;
    }

    /** The body as a JSON object. */
    Body object() {
        JsonNode node = json();
        if (!node.isObject()) {
            throw Problem.badRequest("request body must be a JSON object, got " + Body.kind(node));
        }
        return new Body(node, "");
    }

    /** Refuses with 403 unless the guard lets the principal do {@code action} on {@code resource}. */
    void authorize(Action action, String resource) {
        try {
            guard.authorize(principal, action, resource);
        } catch (AccessDenied e) {
            throw ColonyHandler.problem(e);
        }
    }

    /** Records a change this request made. */
    void audit(String operation, String target) {
        guard.audit(principal, operation, target);
    }

    static Duration parseDuration(String name, String value) {
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return check(name, value, Duration.parse(value));
            }
            if (value.endsWith("ms")) {
                return check(name, value, Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2))));
            }
            char unit = value.isEmpty() ? 's' : value.charAt(value.length() - 1);
            String digits = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
            long n = Long.parseLong(digits);
            return check(
                    name,
                    value,
                    switch (unit) {
                        case 's' -> Duration.ofSeconds(n);
                        case 'm' -> Duration.ofMinutes(n);
                        case 'h' -> Duration.ofHours(n);
                        default -> {
                            if (!Character.isDigit(unit)) {
                                throw new NumberFormatException();
                            }
                            yield Duration.ofSeconds(n);
                        }
                    });
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw Problem.badRequest(
                    name + " must be a duration such as 500ms, 30s, 2m or PT30S, got \"" + value + "\"");
        }
    }

    private static Duration check(String name, String value, Duration d) {
        if (d.isNegative()) {
            throw Problem.badRequest(name + " must not be negative, got \"" + value + "\"");
        }
        return d;
    }
}
