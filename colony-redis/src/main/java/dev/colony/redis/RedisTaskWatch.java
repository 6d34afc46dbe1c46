package dev.colony.redis;

import dev.colony.bus.SubjectPattern;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A node's entry in its swarm's task watch (ADR 0076): the sorted set {@code colony:{swarm}:taskwatch}, whose
 * members are the nodes that can see task announcements, scored by when their entry lapses (milliseconds since
 * the epoch by the writing node's wall clock). The state scripts announce task changes ({@code
 * colony.task.<id>.<change>}) only while that key exists; without it they still take a revision but return no
 * change, so nobody builds, encodes or publishes an announcement nobody can see.
 *
 * <p><b>Who writes it.</b> A {@link RedisEventBus} node {@linkplain #watch() watches} when a subscription whose
 * pattern {@linkplain #couldSeeTasks could match} a task subject opens (the entry is written before {@code
 * subscribe} returns, so every state script that starts afterwards announces) and {@linkplain #unwatch()
 * unwatches} when the last one closes. A {@link RedisState} whose bus is not a Redis bus (its subscriptions are
 * not known here) watches for as long as it is open.
 *
 * <p><b>Liveness.</b> While it watches, a node rewrites its entry every {@link #REFRESH} with a score {@link
 * #LAPSE} ahead, removes every entry whose score has passed (a crashed node's) and sets the key to expire
 * {@link #LAPSE} after that write (so the key is gone once every watcher is gone). So a crashed watcher costs
 * announcements for at most {@link #LAPSE}; a live watcher that cannot write for longer than {@link #LAPSE}
 * (Redis unreachable, the process stopped) may miss announcements, as a node whose pub/sub connection is down
 * does. The scores are judged by wall clocks, never by a state's clock, so a test's fake clock changes nothing.
 *
 * <p>Thread-safe: {@link #watch()}, {@link #unwatch()} and {@link #close()} are serialized on this object.
 * Redis failures while writing are logged and retried at the next refresh, never thrown at the subscriber.
 */
final class RedisTaskWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisTaskWatch.class.getName());
    /** How far ahead an entry's score is set. */
    static final Duration LAPSE = Duration.ofSeconds(60);
    /** How often a watching node rewrites its entry (and removes lapsed ones). */
    static final Duration REFRESH = Duration.ofSeconds(15);

    private static final List<String> TASK_SUBJECT = List.of("colony", "task");

    private final RedisLink link;
    private final String key;
    private final String member;
    private RedisLinkConnection<String, String> connection;
    private Thread refresher;
    private int watchers;
    private boolean closed;

    RedisTaskWatch(RedisLink link, String member) {
        this.link = Objects.requireNonNull(link, "link");
        this.key = link.target().key("taskwatch");
        this.member = Objects.requireNonNull(member, "member");
    }

    /**
     * Whether {@code pattern} could match some task subject ({@code colony.task.<id>.<change>}). Errs on the
     * side of yes: a regex whose literal prefix says nothing counts as watching.
     */
    static boolean couldSeeTasks(SubjectPattern pattern) {
        return switch (pattern) {
            case SubjectPattern.Wildcard wildcard -> {
                List<String> tokens = wildcard.tokens();
                for (int i = 0; i < TASK_SUBJECT.size(); i++) {
                    if (i >= tokens.size()) {
                        yield false; // a task subject has four tokens, this pattern fewer than three
                    }
                    String token = tokens.get(i);
                    if (token.equals(">")) {
                        yield true;
                    }
                    if (!token.equals("*") && !token.equals(TASK_SUBJECT.get(i))) {
                        yield false;
                    }
                }
                yield tokens.size() >= 3;
            }
            case SubjectPattern.Regex regex -> {
                String literal = RedisEventBusChannels.regexPrefix(regex.value());
                String task = "colony.task.";
                yield task.startsWith(literal) || literal.startsWith(task);
            }
        };
    }

    /** One more subscription of this node can see task changes: the first one writes the entry. */
    synchronized void watch() {
        if (closed) {
            return;
        }
        watchers++;
        if (watchers == 1) {
            write(true);
            refresher = Thread.ofVirtual().name("colony-redis-task-watch").start(this::refreshPeriodically);
        }
    }

    /** One subscription less: the last one removes the entry. */
    synchronized void unwatch() {
        if (closed || watchers == 0) {
            return;
        }
        watchers--;
        if (watchers == 0) {
            stopRefresher();
            remove();
        }
    }

    /** Whether this node has an entry now (for tests). */
    synchronized boolean watching() {
        return watchers > 0;
    }

    private void refreshPeriodically() {
        while (true) {
            try {
                Thread.sleep(REFRESH);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (closed || watchers == 0) {
                    return;
                }
                write(false);
            }
        }
    }

    /** ZADD of this node's entry; on a refresh also the removal of lapsed entries. Called holding the lock. */
    private void write(boolean first) {
        long now = System.currentTimeMillis();
        try {
            var async = connection().async();
            var added = async.zadd(key, (double) (now + LAPSE.toMillis()), member);
            // the key lapses with its last writer: a swarm whose watchers all crashed stops announcing
            var expiry = async.pexpire(key, LAPSE.toMillis());
            if (!first) {
                RedisState.await(async.zremrangebyscore(key, io.lettuce.core.Range.create(0, (double) now)));
            }
            RedisState.await(added);
            RedisState.await(expiry);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not write the task watch " + key + " (" + e.getMessage()
                            + "); task announcements may be skipped until the next refresh");
        }
    }

    private void remove() {
        try {
            RedisState.await(connection().async().zrem(key, member));
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not remove " + member + " from the task watch " + key + " (" + e.getMessage()
                            + "); it lapses within " + LAPSE);
        }
    }

    private RedisLinkConnection<String, String> connection() {
        if (connection == null) {
            connection = link.connectStrings();
        }
        return connection;
    }

    private void stopRefresher() {
        if (refresher != null) {
            refresher.interrupt();
            refresher = null;
        }
    }

    /** Removes the entry if this node has one and closes the connection; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (watchers > 0) {
            stopRefresher();
            remove();
        }
        closed = true;
        watchers = 0;
        if (connection != null) {
            connection.close();
        }
    }
}
