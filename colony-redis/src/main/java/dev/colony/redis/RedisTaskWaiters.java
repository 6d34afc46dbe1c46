package dev.colony.redis;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The blocking side of a state's waiting claims (ADR 0076, docs/redis-protocol.md "Waiting claims"): waiter ids,
 * and the connections on which a waiting claim blocks ({@code BLPOP S wake:<waiter>}) between two {@code
 * task_claim_wait} calls.
 *
 * <p><b>Why connections of their own.</b> A blocking command holds its connection until it returns, and the
 * state's connection is shared by every thread (Lettuce pipelines on it): a {@code BLPOP} there would stall every
 * other command of the node. So each block takes a connection from a pool of at most {@link #MAX_BLOCKING},
 * opened when first needed and kept for the next block; closing the state closes them.
 *
 * <p><b>Overflow policy.</b> When all {@link #MAX_BLOCKING} connections are blocking, a further waiting claim does
 * not block: it pauses {@link #POLL_PAUSE} and claims again (counted in {@link #polled()}), as idle workers did
 * before waiting claims existed. Nothing queues.
 *
 * <p><b>Slices.</b> A block lasts at most half the link's command timeout (so Lettuce never times out a {@code
 * BLPOP} that is merely waiting), then the caller claims again, which also catches tasks that became ready by the
 * clock alone (a retry backoff ending) with nobody making them ready.
 *
 * <p>Thread-safe. A connection whose block was interrupted or failed is closed, never pooled again (its reply
 * may still be on the way).
 */
final class RedisTaskWaiters implements AutoCloseable {
    /** The most connections blocking at once for one state. */
    static final int MAX_BLOCKING = 64;
    /** The pause of a waiting claim that found every blocking connection in use. */
    static final Duration POLL_PAUSE = Duration.ofMillis(5);

    /** How a block ended. */
    enum Woken {
        /** A token came: something was made ready since the waiter registered. */
        TOKEN,
        /** The slice passed without a token (or the pool was full and the claim paused instead). */
        SLICE,
        /** The thread was interrupted; its status is set again. */
        INTERRUPTED
    }

    private final RedisLink link;
    private final String prefix;
    private final long maxBlockMs;
    private final String node =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    private final AtomicLong sequence = new AtomicLong();
    private final ArrayDeque<RedisLinkConnection<String, byte[]>> idle = new ArrayDeque<>();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder slices = new LongAdder();
    private final LongAdder polled = new LongAdder();
    private int open;
    private boolean closed;

    RedisTaskWaiters(RedisLink link, String prefix) {
        this.link = link;
        this.prefix = prefix;
        this.maxBlockMs = Math.max(1, link.commandTimeout().toMillis() / 2);
    }

    /** A new waiter id, unique in the swarm with overwhelming probability: {@code <node>-<n>}. */
    String nextWaiter() {
        return node + "-" + sequence.incrementAndGet();
    }

    /** The longest single block, in milliseconds. */
    long maxBlockMs() {
        return maxBlockMs;
    }

    /** Blocks until {@code waiter}'s list has a token or {@code ms} passed (at least 1 ms). */
    Woken block(String waiter, long ms) {
        RedisLinkConnection<String, byte[]> connection = take();
        if (connection == null) {
            polled.increment();
            return pause();
        }
        boolean healthy = false;
        try {
            // BLPOP takes seconds; a fraction works since Redis 6
            var popped =
                    RedisState.await(connection.async().blpop(Math.max(ms, 1) / 1000.0, prefix + "wake:" + waiter));
            healthy = true;
            if (popped != null) {
                tokens.increment();
                return Woken.TOKEN;
            }
            slices.increment();
            return Woken.SLICE;
        } catch (RedisStateException e) {
            if (Thread.currentThread().isInterrupted()) {
                return Woken.INTERRUPTED;
            }
            throw e;
        } finally {
            give(connection, healthy);
        }
    }

    private static Woken pause() {
        try {
            Thread.sleep(POLL_PAUSE);
            return Woken.SLICE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Woken.INTERRUPTED;
        }
    }

    private synchronized RedisLinkConnection<String, byte[]> take() {
        if (closed) {
            throw new IllegalStateException("the coordination state is closed");
        }
        RedisLinkConnection<String, byte[]> connection = idle.pollFirst();
        if (connection != null) {
            return connection;
        }
        if (open >= MAX_BLOCKING) {
            return null;
        }
        open++;
        try {
            return link.connectBytes();
        } catch (RuntimeException e) {
            open--;
            throw e;
        }
    }

    private void give(RedisLinkConnection<String, byte[]> connection, boolean healthy) {
        synchronized (this) {
            if (healthy && !closed) {
                idle.addFirst(connection);
                return;
            }
            open--;
        }
        connection.close();
    }

    /** Blocks ended by a token. */
    long tokens() {
        return tokens.sum();
    }

    /** Blocks that lasted their whole slice. */
    long slices() {
        return slices.sum();
    }

    /** Pauses instead of blocks, all connections being in use. */
    long polled() {
        return polled.sum();
    }

    /** Closes the idle connections; those blocking now close when their block ends. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        RedisLinkConnection<String, byte[]> connection;
        while (true) {
            synchronized (this) {
                connection = idle.pollFirst();
                if (connection == null) {
                    return;
                }
                open--;
            }
            connection.close();
        }
    }
}
