package dev.colony.server.auth;

import dev.colony.bus.EventBus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The server's security checks, in the order the HTTP layer applies them to every request:
 * {@link #authenticate}, {@link #admit}, {@link #authorize}, and {@link #audit} after a change succeeded.
 * Implementations are thread-safe.
 */
public interface Guard {

    /**
     * The principal a request's {@code Authorization} header names.
     *
     * @param authorization the header's value, or null when the request has none
     * @throws AccessDenied 401 when the header is missing, malformed, or names an unknown, expired or revoked
     *     token
     */
    Principal authenticate(String authorization) throws AccessDenied;

    /**
     * Admits one request of this principal under its rate limit.
     *
     * @throws AccessDenied 429 with {@code Retry-After} when the principal is over its limit
     */
    void admit(Principal principal) throws AccessDenied;

    /**
     * Checks that the principal may do this action on this resource (the resource without the account
     * prefix: a subject, task type, {@code namespace.key}, group or agent id). Deny wins over allow.
     *
     * @throws AccessDenied 403 naming the action and resource; 401 when the principal's token was revoked,
     *     replaced or expired since it was authenticated
     */
    void authorize(Principal principal, Action action, String resource) throws AccessDenied;

    /**
     * Records a change the principal made: publishes an {@link AuditEvent} on
     * {@code colony.audit.<account>.<principal>}. Never throws for a closed bus (the change already
     * happened); the event is then logged as not published.
     */
    void audit(Principal principal, String operation, String target);

    /**
     * The guard backed by the token file in {@code dataDir} with the default settings (see {@link Builder}),
     * creating the file and an admin token on first start, and publishing audit events on {@code auditBus}.
     *
     * <p>On the first start (no {@code tokens.json}) the admin token's value is written to
     * {@code <dataDir>/initial-admin-token} (mode 0600) and that path, never the value, is logged.
     *
     * @throws TokenFileException if the token file is malformed, unreadable, or open to group or others; its
     *     message is one line naming the file, and the file is left unchanged
     */
    static Guard open(Path dataDir, EventBus auditBus) {
        return builder(dataDir, auditBus).build();
    }

    /** Settings for a guard over the token file in {@code dataDir}, publishing audit events on {@code auditBus}. */
    static Builder builder(Path dataDir, EventBus auditBus) {
        return new Builder(dataDir, auditBus);
    }

    /** Settings of a guard; each setter validates its argument at once. */
    final class Builder {
        private static final Duration MAX_RELOAD_INTERVAL = Duration.ofMinutes(10);

        final Path dataDir;
        final EventBus auditBus;
        RateLimit rateLimit = RateLimit.DEFAULT;
        Duration reloadInterval = Duration.ofSeconds(1);
        InstantSource clock = InstantSource.system();
        LongSupplier nanoTime = System::nanoTime;

        Builder(Path dataDir, EventBus auditBus) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            this.auditBus = Objects.requireNonNull(auditBus, "auditBus");
        }

        /** The per-principal rate limit (default {@link RateLimit#DEFAULT}, 100/s with bursts of 200). */
        public Builder rateLimit(RateLimit limit) {
            this.rateLimit = Objects.requireNonNull(limit, "rateLimit");
            return this;
        }

        /**
         * How often, at most, the guard looks whether the token file changed (default 1 s): a token created or
         * revoked by {@code colony token} takes effect within this time. Zero looks on every request (one
         * {@code stat} each).
         */
        public Builder reloadInterval(Duration interval) {
            Objects.requireNonNull(interval, "reloadInterval");
            if (interval.isNegative() || interval.compareTo(MAX_RELOAD_INTERVAL) > 0) {
                throw new IllegalArgumentException(
                        "reloadInterval must be from 0 to " + MAX_RELOAD_INTERVAL + ", got " + interval);
            }
            this.reloadInterval = interval;
            return this;
        }

        /** The wall clock for expiry and audit times (default the system clock; tests pass a fake one). */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The monotonic nanosecond source for rate limits and reload checks (default {@link System#nanoTime};
         * tests pass a fake one).
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * Opens the guard: creates the data directory (mode 0700) and, on the first start, the token file with
         * an admin token; then loads the file.
         *
         * @throws TokenFileException if the token file is malformed, unreadable or open to group or others
         */
        public Guard build() {
            TokenStore store = TokenStore.of(dataDir, clock);
            InitialAdmin.announce(store);
            return new TokenGuard(store, auditBus, this);
        }
    }
}
