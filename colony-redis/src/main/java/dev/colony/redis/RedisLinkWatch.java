package dev.colony.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;

/**
 * Logs what happens to a {@link RedisLink}'s connections, one line each, naming the target with its
 * password masked: a connection lost (WARNING), the reconnect attempts that fail (WARNING for the first and
 * every {@value #FAILURE_LOG_EVERY}th, so an outage of minutes is a handful of lines), and the connection
 * back (INFO, with how long it was away). A connection closed by Colony is not a loss and is not logged.
 *
 * <p>Lettuce calls it on its event-loop threads; the map of lost connections is concurrent, and a line is
 * written per event, so this never blocks Lettuce beyond the logger's own write.
 */
final class RedisLinkWatch implements RedisConnectionStateListener {
    private static final System.Logger LOG = System.getLogger("dev.colony.redis");
    static final int FAILURE_LOG_EVERY = 10;

    private final String target;
    private final Map<RedisChannelHandler<?, ?>, Long> lost = new ConcurrentHashMap<>(); // value: nanoTime lost
    private volatile boolean closing;

    RedisLinkWatch(RedisTarget target) {
        this.target = target.toString();
    }

    /** Subscribes to Lettuce's failed reconnect attempts; dispose the result when the link closes. */
    Disposable watchReconnectFailures(EventBus events) {
        return events.get()
                .filter(ReconnectFailedEvent.class::isInstance)
                .cast(ReconnectFailedEvent.class)
                .subscribe(this::reconnectFailed);
    }

    /** From now on no disconnection is a loss: the link is shutting its client down. */
    void closing() {
        closing = true;
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (connection.isClosed() || closing) {
            // closed by Colony: the handler is marked closed before its channel goes; a link closing with
            // connections still open (a cluster client's node connections among them) is not a loss either
            return;
        }
        lost.put(connection, System.nanoTime());
        LOG.log(Level.WARNING, "Redis connection lost: {0}; reconnecting with backoff", target);
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        Long since = lost.remove(connection);
        if (since != null) {
            long millis = (System.nanoTime() - since) / 1_000_000;
            LOG.log(Level.INFO, "Redis reconnected: {0} ({1}) after {2} ms", target, address, millis);
        }
    }

    private void reconnectFailed(ReconnectFailedEvent event) {
        int attempt = event.getAttempt(); // counted from 1
        if (attempt == 1 || attempt % FAILURE_LOG_EVERY == 0) {
            Throwable cause = event.getCause();
            LOG.log(
                    Level.WARNING,
                    "Redis reconnect attempt {0} failed: {1}: {2}",
                    attempt,
                    target,
                    cause == null ? "unknown cause" : cause.getMessage());
        }
    }
}
