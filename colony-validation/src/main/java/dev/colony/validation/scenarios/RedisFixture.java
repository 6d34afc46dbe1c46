package dev.colony.validation.scenarios;

import dev.colony.Colony;

/**
 * The one two-node setup the Redis scenarios share: a fresh swarm on the server of {@code --redis}, node A
 * (the sending side) in this JVM and node B (the receiving side, {@link NodeB}) in a child JVM or, with
 * {@link RedisNodes#ONE_JVM}, in this one (each node with its own Redis connections), opened when the first
 * scenario asks for them and reused by the next. Each scenario uses names of its own (subjects, agents,
 * task ids, leader groups) and closes what it opened, so one does not see another's work. {@link #close}
 * closes both nodes (node B's JVM is stopped) and deletes the swarm's keys with {@code redis-cli} when it is
 * on the PATH.
 *
 * <p>Not thread-safe for opening: scenarios run one after another.
 */
public final class RedisFixture implements AutoCloseable {
    private final RedisBench redis;
    private final RedisNodes nodes;
    private final String swarm;
    private Colony a;
    private NodeB b;
    private boolean closed;

    private RedisFixture(RedisBench redis, RedisNodes nodes) {
        this.redis = redis;
        this.nodes = java.util.Objects.requireNonNull(nodes, "nodes");
        this.swarm = redis.freshSwarm("run");
    }

    /** A fixture on {@code redis}'s server with node B in a child JVM; nothing starts until a scenario asks. */
    public static RedisFixture of(RedisBench redis) {
        return of(redis, RedisNodes.TWO_JVMS);
    }

    /** A fixture on {@code redis}'s server with node B where {@code nodes} says; nothing starts until asked. */
    public static RedisFixture of(RedisBench redis, RedisNodes nodes) {
        return new RedisFixture(redis, nodes);
    }

    /** Where node B runs. */
    RedisNodes nodes() {
        return nodes;
    }

    /** The {@code mode} of a scenario's details: what node A and node B do, and where B runs. */
    String mode(String work) {
        return work
                + (nodes == RedisNodes.TWO_JVMS
                        ? "; two JVMs (--redis-nodes two-jvms): node B in a child JVM started by the harness (same"
                                + " java and class path), each node with its own Redis connections"
                        : "; one JVM (--redis-nodes one-jvm): both nodes in this JVM (the goal is between two"
                                + " JVMs), each with its own Redis connections");
    }

    /** How latencies from A's send to B's arrival are timed, for the reports. */
    String clock() {
        return nodes == RedisNodes.TWO_JVMS ? ChildJvmNodeB.clockBasis() : "one JVM, one clock (System.nanoTime)";
    }

    RedisBench redis() {
        return redis;
    }

    /** The fresh swarm both nodes belong to. */
    String swarm() {
        return swarm;
    }

    /** Node A, the sending side, in this JVM. */
    Colony a() {
        checkOpen();
        if (a == null) {
            a = redis.colony(swarm).build();
        }
        return a;
    }

    /** Node B, the receiving side; its JVM is started on the first call in the two-JVM mode. */
    NodeB b() {
        checkOpen();
        if (b == null) {
            b = nodes == RedisNodes.TWO_JVMS
                    ? ChildJvmNodeB.start(redis, swarm)
                    : new SameJvmNodeB(redis.colony(swarm).build());
        }
        return b;
    }

    /** What happens to the swarm's keys, for the reports. */
    String keysDeleted() {
        return redis.hasCli()
                ? "at the end of the run, with redis-cli"
                : "no (redis-cli missing): left under " + RedisBench.prefix(swarm);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the Redis fixture of swarm '" + swarm + "' is closed");
        }
    }

    /** Closes both nodes (stops node B's JVM) and deletes the swarm's keys; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (a == null && b == null) {
            return;
        }
        try {
            if (b != null) {
                b.close();
            }
        } finally {
            try {
                if (a != null) {
                    a.close();
                }
            } finally {
                redis.deleteKeys(swarm);
            }
        }
    }
}
