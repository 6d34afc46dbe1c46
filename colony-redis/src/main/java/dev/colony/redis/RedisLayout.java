package dev.colony.redis;

import io.lettuce.core.SetArgs;

/**
 * The version of a swarm's key layout, kept in {@code colony:{swarm}:layout} and checked when a node
 * connects, so that processes built against different layouts never share a swarm silently.
 *
 * <p>Version 1 was the layout before the key existed (issue 9); version 2 added the finished-tasks index
 * and per-node sequence numbers on bus frames (ADRs 0035, 0036); version 3 added node channels on the bus
 * (ADR 0075): nodes of version 2 hear only subject channels, so they would miss the events of version 3 nodes.
 * A swarm without the key is new or of version 1; version 1 and 2 data read correctly under version 3, so the
 * first node to connect writes {@value #VERSION} ({@code SET NX}), and a node finding version 2 moves the swarm
 * to {@value #VERSION} (logged: nodes of the older release can no longer connect, and those still running do
 * not hear this release's bus events). A swarm of any other version is refused with a message naming both
 * versions and the way out.
 */
final class RedisLayout {
    private static final System.Logger LOG = System.getLogger(RedisLayout.class.getName());

    /** The layout this code reads and writes. */
    static final String VERSION = "3";

    /** The layout this code moves a swarm from, to {@link #VERSION}. */
    static final String PREVIOUS = "2";

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
            if (PREVIOUS.equals(found)) {
                // SET ... GET answers what it replaced: only the node that replaced 2 logs the move
                String replaced = connection.sync().setGet(key, VERSION);
                if (PREVIOUS.equals(replaced)) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "moved the swarm " + link.target() + " from key layout " + PREVIOUS + " to " + VERSION
                                    + " (bus node channels, ADR 0075): nodes of the older release can no longer"
                                    + " connect, and those still running do not hear this release's bus events");
                }
                found = VERSION.equals(replaced) || PREVIOUS.equals(replaced) ? VERSION : replaced;
            }
            if (!VERSION.equals(found)) {
                throw new IllegalStateException(
                        "the swarm " + link.target() + " has key layout version '" + found
                                + "' (" + key + "), this Colony reads layout version " + VERSION
                                + ": use a Colony release of that layout, or drop the swarm (colony swarm drop) and start again");
            }
        }
    }
}
