package dev.colony.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a distributed colony lives: a Redis server and the name of the swarm, parsed from
 * {@code redis://[:password@]host[:port]/swarm}. Every key and channel of the swarm starts with
 * {@link #prefix()}, {@code colony:{swarm}:}; the braces make the swarm one Redis Cluster hash slot, so
 * every Lua script may touch all of its keys (docs/redis-protocol.md).
 *
 * @param host the server's host name or address
 * @param port the server's port (default 6379)
 * @param password the server's password, or empty for none
 * @param swarm the swarm's name: 1 to 64 of {@code [A-Za-z0-9_-]}
 */
public record RedisTarget(String host, int port, String password, String swarm) {

    private static final Pattern SWARM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The default swarm name, used when a URI names none. */
    public static final String DEFAULT_SWARM = "colony";

    public RedisTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(swarm, "swarm");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Redis host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Redis port must be 1..65535, got " + port);
        }
        if (!SWARM.matcher(swarm).matches()) {
            throw new IllegalArgumentException("swarm name must be 1 to 64 of [A-Za-z0-9_-], got '" + swarm + "'");
        }
    }

    /**
     * Parses {@code redis://[:password@]host[:port][/swarm]}.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code uri}
     */
    public static RedisTarget parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "not a Redis URI: '" + masked(uri) + "': " + e.getReason() + " at index " + e.getIndex());
        }
        if (!"redis".equals(parsed.getScheme())) {
            throw new IllegalArgumentException("a Redis URI starts with redis://, got '" + masked(uri) + "'");
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("a Redis URI needs a host, got '" + masked(uri) + "'");
        }
        String password = "";
        String userInfo = parsed.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath();
        String swarm = path.isEmpty() || path.equals("/") ? DEFAULT_SWARM : path.substring(1);
        return new RedisTarget(parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort(), password, swarm);
    }

    /** {@code uri} with everything between {@code ://} and the last {@code @} masked: never print a password. */
    static String masked(String uri) {
        int start = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        return start < 0 || at < start ? uri : uri.substring(0, start + 3) + "****" + uri.substring(at);
    }

    /** The prefix of every key and channel of this swarm: {@code colony:{swarm}:}. */
    public String prefix() {
        return "colony:{" + swarm + "}:";
    }

    /** A key of this swarm: the prefix followed by {@code suffix}. */
    public String key(String suffix) {
        return prefix() + suffix;
    }

    /** The URI, without the password. */
    @Override
    public String toString() {
        return "redis://" + host + ":" + port + "/" + swarm;
    }
}
