package dev.colony.server.auth;

import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The {@link Guard} over a {@link TokenStore}: an immutable view of the tokens file, swapped atomically when
 * the file changes, and per-principal {@link TokenBuckets}.
 *
 * <p><b>Reloading.</b> At most once per reload interval, the first {@link #authenticate} after it has passed
 * compares the file's stamp (modification time, size, file key) with the loaded one and, when it differs,
 * reads the file and swaps the view (a compare-and-set on the next check time picks the one thread that
 * checks). A file that fails to load is logged once and the previous view stays in force, so a typo made by
 * hand never opens or closes the door; a deleted file keeps the loaded tokens too.
 *
 * <p><b>Timing.</b> The presented token's SHA-256 is compared with {@link MessageDigest#isEqual}, which
 * takes the same time wherever the bytes differ; an unknown id is compared against a dummy hash, so the
 * work does not tell known ids from unknown ones.
 */
final class TokenGuard implements Guard {
    static final String UNAUTHORIZED = "UNAUTHORIZED";
    static final String FORBIDDEN = "FORBIDDEN";
    static final String RATE_LIMITED = "RATE_LIMITED";

    private static final System.Logger LOG = System.getLogger("dev.colony.server.auth");
    private static final byte[] DUMMY_HASH = TokenSecret.sha256("colony_0000000000000000_dummy");

    private final TokenStore store;
    private final EventBus auditBus;
    private final InstantSource clock;
    private final LongSupplier nanoTime;
    private final long reloadNanos;
    private final RateLimit limit;
    private final TokenBuckets buckets;
    private final AtomicLong nextCheck;
    private volatile View view;
    private volatile Optional<TokenFile.Stamp> failedStamp = Optional.empty();

    TokenGuard(TokenStore store, EventBus auditBus, Guard.Builder settings) {
        this.store = store;
        this.auditBus = auditBus;
        this.clock = settings.clock;
        this.nanoTime = settings.nanoTime;
        this.reloadNanos = settings.reloadInterval.toNanos();
        this.limit = settings.rateLimit;
        this.buckets = new TokenBuckets(limit, nanoTime);
        this.view = load(); // a bad file refuses the start: there is no previous view to keep
        this.nextCheck = new AtomicLong(nanoTime.getAsLong() + reloadNanos);
    }

    @Override
    public Principal authenticate(String authorization) throws AccessDenied {
        refreshIfDue();
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("no Authorization header; send `Authorization: Bearer <token>`");
        }
        String header = authorization.strip();
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("the Authorization header is not `Bearer <token>`");
        }
        String token = header.substring(7).strip();
        Optional<String> id = TokenSecret.idOf(token);
        if (id.isEmpty()) {
            throw unauthorized("the bearer token is malformed (expected colony_<id>_<secret>)");
        }
        Entry entry = view.byId().get(id.get());
        boolean equal = MessageDigest.isEqual(TokenSecret.sha256(token), entry == null ? DUMMY_HASH : entry.sha256());
        if (entry == null || !equal) {
            throw unauthorized("unknown token");
        }
        TokenInfo info = entry.info();
        if (info.revoked()) {
            throw unauthorized("token \"" + info.name() + "\" is revoked");
        }
        if (info.expiredAt(clock.instant())) {
            throw unauthorized(
                    "token \"" + info.name() + "\" expired at " + info.expires().orElseThrow());
        }
        return entry.principal();
    }

    @Override
    public void admit(Principal principal) throws AccessDenied {
        if (limit.unlimited()) {
            return;
        }
        long wait = buckets.tryAcquire(key(principal));
        if (wait > 0) {
            Duration retryAfter = Duration.ofNanos(wait);
            throw new AccessDenied(
                    429,
                    RATE_LIMITED,
                    "principal \"" + principal.name() + "\" of account \"" + principal.account()
                            + "\" is over its rate limit of " + limit.perSecond() + " requests/s (burst "
                            + limit.burst() + "); retry in " + (wait + 999_999) / 1_000_000 + " ms",
                    Optional.of(retryAfter));
        }
    }

    @Override
    public void authorize(Principal principal, Action action, String resource) throws AccessDenied {
        Entry entry = view.activeByName().get(principal.name());
        if (entry == null || !entry.principal().equals(principal)) {
            throw unauthorized("token \"" + principal.name() + "\" is no longer valid (revoked or replaced)");
        }
        if (entry.info().expiredAt(clock.instant())) {
            throw unauthorized("token \"" + principal.name() + "\" expired at "
                    + entry.info().expires().orElseThrow());
        }
        if (entry.info().admin()) {
            return;
        }
        Optional<String> refusal = refusal(entry, action, resource);
        if (refusal.isPresent()) {
            throw new AccessDenied(
                    403,
                    FORBIDDEN,
                    "token \"" + principal.name() + "\" may not " + action.prefix() + " \"" + shown(resource) + "\": "
                            + refusal.get(),
                    Optional.empty());
        }
    }

    @Override
    public void audit(Principal principal, String operation, String target) {
        AuditEvent event = new AuditEvent(principal.account(), principal.name(), operation, target, clock.instant());
        try {
            auditBus.publish(AuditEvent.subject(principal.account(), principal.name()), event);
        } catch (IllegalStateException e) {
            // the bus closes when the server stops: the change itself succeeded, so it is not undone here
            LOG.log(
                    Level.WARNING,
                    "audit event of {0}/{1} ({2} {3}) not published: {4}",
                    principal.account(),
                    principal.name(),
                    operation,
                    target,
                    e.getMessage());
        }
    }

    private static Optional<String> refusal(Entry entry, Action action, String resource) {
        if (action == Action.SUBSCRIBE) {
            SubjectPattern.Wildcard pattern;
            try {
                pattern = SubjectPattern.of(action.prefix() + "." + resource);
            } catch (IllegalArgumentException e) {
                return Optional.of("it is not a valid subject pattern");
            }
            return entry.permissions().check(pattern);
        }
        Subject subject;
        try {
            subject = Subject.of(action.prefix() + "." + resource);
        } catch (IllegalArgumentException e) {
            return Optional.of("it is not a valid resource name (dot-separated tokens, no spaces or wildcards)");
        }
        if (action == Action.AGENT && entry.agent().isPresent()) {
            AgentGlob agents = entry.agent().get();
            if (!agents.matches(resource)) {
                return Optional.of("the token is bound to agent ids matching " + agents.value());
            }
            return entry.permissions().denied(subject); // the binding is the grant
        }
        return entry.permissions().check(subject);
    }

    private void refreshIfDue() {
        long now = nanoTime.getAsLong();
        long next = nextCheck.get();
        if (now - next < 0 || !nextCheck.compareAndSet(next, now + reloadNanos)) {
            return;
        }
        Optional<TokenFile.Stamp> stamp = safeStamp();
        if (stamp.isEmpty() || stamp.equals(view.stamp())) {
            return; // unchanged, or deleted: the loaded tokens stay in force
        }
        try {
            View fresh = load();
            view = fresh;
            failedStamp = Optional.empty();
            buckets.retain(fresh.activeByName().values().stream()
                    .map(e -> key(e.principal()))
                    .collect(Collectors.toSet()));
            LOG.log(
                    Level.INFO,
                    "tokens reloaded from {0}: {1} active",
                    store.file(),
                    fresh.activeByName().size());
        } catch (TokenFileException e) {
            // retried at every check (a chmod changes no stamp), logged once per version of the file
            if (!stamp.equals(failedStamp)) {
                LOG.log(Level.ERROR, "tokens not reloaded, the loaded ones stay in force: {0}", e.getMessage());
            }
            failedStamp = stamp;
        }
    }

    private Optional<TokenFile.Stamp> safeStamp() {
        try {
            return store.tokenFile().stamp();
        } catch (TokenFileException e) {
            return Optional.empty();
        }
    }

    private View load() {
        Optional<TokenFile.Stamp> stamp = store.tokenFile().stamp();
        List<StoredToken> tokens = store.read().orElse(List.of());
        Map<String, Entry> byId = new HashMap<>();
        Map<String, Entry> active = new HashMap<>();
        for (StoredToken t : tokens) {
            Entry entry = new Entry(
                    t.info(),
                    t.sha256(),
                    Permissions.of(t.info()),
                    t.info().agent().map(AgentGlob::new));
            byId.put(t.info().id(), entry);
            if (!t.info().revoked()) {
                active.put(t.info().name(), entry);
            }
        }
        return new View(stamp, Map.copyOf(byId), Map.copyOf(active));
    }

    private static String key(Principal principal) {
        return principal.account() + "/" + principal.name();
    }

    private static String shown(String resource) {
        return resource.length() <= 64 ? resource : resource.substring(0, 61) + "...";
    }

    private static AccessDenied unauthorized(String reason) {
        return new AccessDenied(401, UNAUTHORIZED, reason, Optional.empty());
    }

    /** The tokens file as loaded: by id for authentication, the active ones by name for authorization. */
    private record View(Optional<TokenFile.Stamp> stamp, Map<String, Entry> byId, Map<String, Entry> activeByName) {}

    /** A loaded token with its compiled permissions. */
    private record Entry(TokenInfo info, byte[] sha256, Permissions permissions, Optional<AgentGlob> agent) {
        Principal principal() {
            return new Principal(info.account(), info.name(), info.admin());
        }
    }
}
