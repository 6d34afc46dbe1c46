package dev.colony.server;

import java.util.Map;
import java.util.Objects;

/**
 * A request the server answers with an {@code application/problem+json} document (RFC 9457): the HTTP
 * status, Colony's outcome code ({@code NO_SUCH_AGENT}, {@code STALE_LEASE}, {@code BAD_REQUEST}...), a
 * detail that names the cause, and optional extra members (such as the current value of a 412).
 */
final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, Object> extra;

    Problem(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    Problem(int status, String code, String detail, Map<String, Object> extra) {
        super(detail, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.extra = Map.copyOf(extra);
    }

    static Problem badRequest(String detail) {
        return new Problem(400, "BAD_REQUEST", detail);
    }

    static Problem notFound(String code, String detail) {
        return new Problem(404, code, detail);
    }

    static Problem conflict(String code, String detail) {
        return new Problem(409, code, detail);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, Object> extra() {
        return extra;
    }

    /** The problem document's {@code title}: the reason phrase of the status. */
    String title() {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
