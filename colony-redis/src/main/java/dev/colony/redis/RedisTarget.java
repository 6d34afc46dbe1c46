package dev.colony.redis;

import dev.colony.spi.BackendSettings;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a distributed colony lives: a Redis server (a URI in the Lettuce client's own syntax, parsed by
 * {@link RedisURI}) and the name of the swarm, given separately. Every key and channel of the swarm starts
 * with {@link #prefix()}, {@code colony:{swarm}:}; the braces make the swarm one Redis Cluster hash slot, so
 * every Lua script may touch all of its keys (docs/redis-protocol.md).
 *
 * <p>URIs: {@code redis://[[user]:password@]host[:port][/database][?param=value&...]}, {@code rediss://} for
 * TLS, {@code redis-sentinel://[[user]:password@]host[:port][,host2[:port]][/database][?...]#master} for
 * Sentinel. Parameters: {@code timeout} (the command timeout, such as {@code 5s}), {@code database},
 * {@code clientName}, {@code verifyPeer} ({@code FULL}, {@code CA}, {@code NONE}), {@code sentinelMasterId};
 * any other is refused. The path is the database number: before ADR 0034 it was the swarm's name, and such a
 * URI is refused with a message that says to name the swarm separately.
 *
 * @param uri the server's URI as given (never printed: see {@link #toString()})
 * @param swarm the swarm's name: 1 to 64 of {@code [A-Za-z0-9_-]}
 */
record RedisTarget(String uri, String swarm) {

    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel");
    private static final Set<String> PARAMETERS =
            Set.of("timeout", "database", "db", "clientname", "verifypeer", "sentinelmasterid");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    RedisTarget {
        Objects.requireNonNull(uri, "uri");
        BackendSettings.checkSwarm(swarm);
        check(uri);
    }

    /** The target of swarm {@code swarm} at {@code uri}; a convenience for the default and tests. */
    static RedisTarget of(String uri, String swarm) {
        return new RedisTarget(uri.strip(), swarm);
    }

    /**
     * Checks what Lettuce does not: the scheme, a host, a port in range, a numeric path, known parameters.
     *
     * @throws IllegalArgumentException naming the problem and quoting the URI with its password masked
     */
    private static void check(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            throw bad(uri, "is not a URI (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw bad(uri, "does not start with redis://, rediss:// or redis-sentinel://");
        }
        if (!"redis-sentinel".equals(scheme)) {
            if (parsed.getHost() == null || parsed.getHost().isBlank()) {
                throw bad(uri, "has no valid host or port");
            }
            if (parsed.getPort() == 0 || parsed.getPort() > 65_535) {
                throw bad(uri, "has a port outside 1..65535");
            }
        } else if (parsed.getFragment() == null && !containsParameter(parsed, "sentinelmasterid")) {
            throw bad(uri, "names no master: add #<master> (or ?sentinelMasterId=<master>)");
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath().replaceFirst("^/", "");
        if (!path.isEmpty() && !DIGITS.matcher(path).matches()) {
            throw bad(
                    uri,
                    "has the path '/" + path + "', which must be a database number: the swarm is no longer part of"
                            + " the URI (ADR 0034); name it separately (--swarm " + path
                            + ", Colony.builder().swarm(\"" + path + "\"))");
        }
        if (parsed.getRawQuery() != null) {
            for (String pair : parsed.getRawQuery().split("&")) {
                String name = pair.split("=", 2)[0];
                if (!PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw bad(
                            uri,
                            "has the unknown parameter '" + name
                                    + "' (known: timeout, database, clientName, verifyPeer, sentinelMasterId)");
                }
            }
        }
        if ("redis".equals(scheme) && parsed.getFragment() != null) {
            throw bad(uri, "has a fragment");
        }
    }

    private static boolean containsParameter(URI parsed, String name) {
        String query = parsed.getRawQuery();
        return query != null && query.toLowerCase(Locale.ROOT).contains(name + "=");
    }

    private static IllegalArgumentException bad(String uri, String problem) {
        return new IllegalArgumentException("the Redis URI '" + masked(uri) + "' " + problem);
    }

    /**
     * The Lettuce URI, a new instance on every call (RedisURI is mutable). A URI without a {@code timeout}
     * parameter gets {@code defaultTimeout}.
     *
     * @throws IllegalArgumentException if Lettuce refuses it
     */
    RedisURI lettuceUri(Duration defaultTimeout) {
        RedisURI parsed;
        try {
            parsed = RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw bad(uri, "is refused by the Redis client: " + masked(String.valueOf(e.getMessage())));
        }
        if (!uri.toLowerCase(Locale.ROOT).contains("timeout=")) {
            parsed.setTimeout(defaultTimeout);
        }
        return parsed;
    }

    /** Whether the URI asks for TLS ({@code rediss://}). */
    boolean tls() {
        return uri.regionMatches(true, 0, "rediss://", 0, 9);
    }

    /** {@code uri} with everything between {@code ://} and the last {@code @} masked: never print a password. */
    static String masked(String uri) {
        int start = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (start < 0 || at < start) {
            return uri;
        }
        String userInfo = uri.substring(start + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? "" : userInfo.substring(0, colon);
        return uri.substring(0, start + 3) + user + ":****" + uri.substring(at);
    }

    /** The prefix of every key and channel of this swarm: {@code colony:{swarm}:}. */
    String prefix() {
        return "colony:{" + swarm + "}:";
    }

    /** A key of this swarm: the prefix followed by {@code suffix}. */
    String key(String suffix) {
        return prefix() + suffix;
    }

    /** The URI with its password masked, and the swarm: {@code redis://:****@host:6379 swarm demo}. */
    @Override
    public String toString() {
        return masked(uri) + " swarm " + swarm;
    }
}
