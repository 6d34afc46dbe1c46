package dev.colony.server.dashboard;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The browser sessions of the dashboard: a random session id (the cookie's value) mapped to the bearer token
 * the operator signed in with, so the token itself never sits in the browser. The token is authenticated
 * again on every request, so revoking it ends its sessions at once.
 *
 * <p>Bounded: at most {@code capacity} sessions; signing in past that evicts the oldest session. A session
 * lasts {@code lifetime} from sign-in. Thread-safe.
 */
final class Sessions {
    private record Session(String token, long expiresAtNanos) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int capacity;
    private final long lifetimeNanos;
    private final Map<String, Session> sessions;

    Sessions(int capacity, Duration lifetime) {
        this.capacity = capacity;
        this.lifetimeNanos = lifetime.toNanos();
        this.sessions = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                return size() > Sessions.this.capacity;
            }
        };
    }

    /** Opens a session for {@code token} and returns its id (32 random bytes, base64url). */
    synchronized String open(String token) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(token, System.nanoTime() + lifetimeNanos));
        return id;
    }

    /** The token of a live session, or empty for an unknown or expired one. */
    synchronized Optional<String> token(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session entry = sessions.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - entry.expiresAtNanos() > 0) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(entry.token());
    }

    synchronized void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    synchronized int size() {
        return sessions.size();
    }
}
