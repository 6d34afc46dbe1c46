package dev.colony.server.auth;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the guard refuses: the HTTP status (401, 403 or 429), Colony's outcome code for the
 * problem+json answer ({@code UNAUTHORIZED}, {@code FORBIDDEN}, {@code RATE_LIMITED}), a one-line reason
 * that never contains a secret, and for 429 how long to wait ({@code Retry-After}).
 */
public final class AccessDenied extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Optional<Duration> retryAfter;

    public AccessDenied(int status, String code, String reason, Optional<Duration> retryAfter) {
        super(reason, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** The HTTP status: 401 (no valid token), 403 (not permitted) or 429 (rate limited). */
    public int status() {
        return status;
    }

    /** Colony's outcome code for this refusal. */
    public String code() {
        return code;
    }

    /** How long the caller should wait before retrying, for a 429. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
