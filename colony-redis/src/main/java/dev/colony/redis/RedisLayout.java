package dev.colony.redis;

import io.lettuce.core.SetArgs;

/**
 * The version of a swarm's key layout, kept in {@code colony:{swarm}:layout} and checked when a node
 * connects, so that processes built against different layouts never share a swarm silently.
 *
 * <p>Version 1 was the layout before the key existed (issue 9); version 2 added the finished-tasks index
 * and per-node sequence numbers on bus frames (ADRs 0035, 0036). A swarm without the key is new or of
 * version 1; version 1 data reads correctly under version 2 (only its finished tasks are not under a
 * retention policy), so the first node to connect writes {@value #VERSION} ({@code SET NX}). A swarm of any
 * other version is refused with a message naming both versions and the way out.
 */
final class RedisLayout {
    /** The layout this code reads and writes. */
    static final String VERSION = "2";

    private RedisLayout() {}

    /**
     * Writes the version if the swarm has none and checks it otherwise.
     *
     * @throws IllegalStateException naming both versions when the swarm has another one
     */
    static void check(RedisLink link) {
        String key = link.target().key("layout");
        try (RedisLinkConnection<String, String> connection = link.connectStrings()) {
            try {
                connection.sync().set(key, VERSION, SetArgs.Builder.nx());
            } catch (io.lettuce.core.RedisCommandExecutionException e) {
                if (String.valueOf(e.getMessage()).startsWith("MOVED")) {
                    // a Redis Cluster node that does not serve the swarm's slot, reached by the single-server
                    // client because it refused INFO cluster (docs/redis-protocol.md, "Redis Cluster")
                    throw new IllegalStateException(
                            "the swarm " + link.target() + " is not served by this Redis"
                                    + " Cluster node: its hash slot is at "
                                    + e.getMessage().substring("MOVED".length()).strip()
                                    + " (slot host:port); allow INFO to the user (the cluster client is chosen by"
                                    + " INFO cluster) or connect a Colony to that master",
                            e);
                }
                throw e;
            }
            String found = connection.sync().get(key);
            if (!VERSION.equals(found)) {
                throw new IllegalStateException(
                        "the swarm " + link.target() + " has key layout version '" + found
                                + "' (" + key + "), this Colony reads layout version " + VERSION
                                + ": use a Colony release of that layout, or drop the swarm (colony swarm drop) and start again");
            }
        }
    }
}
