package dev.colony.validation.scenarios;

import dev.colony.Colony;

/**
 * The one two-node setup the Redis scenarios share: a fresh swarm on the server of {@code --redis} and two
 * Colony nodes of it in this JVM (A and B, each with its own Redis connections), opened when the first
 * scenario asks for them and reused by the next. Each scenario uses names of its own (subjects, agents,
 * task ids, leader groups) and closes what it opened, so one does not see another's work. {@link #close}
 * closes both nodes and deletes the swarm's keys with {@code redis-cli} when it is on the PATH.
 *
 * <p>Not thread-safe for opening: scenarios run one after another.
 */
public final class RedisFixture implements AutoCloseable {
    private final RedisBench redis;
    private final String swarm;
    private Colony a;
    private Colony b;
    private boolean closed;

    private RedisFixture(RedisBench redis) {
        this.redis = redis;
        this.swarm = redis.freshSwarm("run");
    }

    /** A fixture on {@code redis}'s server; nothing is connected until a scenario asks for a node. */
    public static RedisFixture of(RedisBench redis) {
        return new RedisFixture(redis);
    }

    RedisBench redis() {
        return redis;
    }

    /** The fresh swarm both nodes belong to. */
    String swarm() {
        return swarm;
    }

    /** Node A, the sending side. */
    Colony a() {
        open();
        return a;
    }

    /** Node B, the receiving side. */
    Colony b() {
        open();
        return b;
    }

    /** What happens to the swarm's keys, for the reports. */
    String keysDeleted() {
        return redis.hasCli()
                ? "at the end of the run, with redis-cli"
                : "no (redis-cli missing): left under " + RedisBench.prefix(swarm);
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the Redis fixture of swarm '" + swarm + "' is closed");
        }
        if (a == null) {
            a = redis.colony(swarm).build();
            b = redis.colony(swarm).build();
        }
    }

    /** Closes both nodes and deletes the swarm's keys; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (a == null) {
            return;
        }
        try {
            b.close();
        } finally {
            try {
                a.close();
            } finally {
                redis.deleteKeys(swarm);
            }
        }
    }
}
