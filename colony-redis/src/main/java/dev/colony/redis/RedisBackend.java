package dev.colony.redis;

import dev.colony.bus.EventBus;
import dev.colony.messaging.Messenger;
import dev.colony.spi.BackendSettings;
import dev.colony.spi.ColonyBackend;
import dev.colony.state.CoordinationState;
import io.lettuce.core.RedisConnectionException;
import java.util.Set;

/**
 * The {@code redis://} backend of {@link dev.colony.Colony.Builder#redis(String)}: one {@link RedisLink} to
 * the server, shared by the swarm node's event bus (pub/sub), messenger (streams) and coordination state
 * (Lua scripts). Found by {@link java.util.ServiceLoader}; applications never name it. Serves
 * {@code redis://}, {@code rediss://} (TLS) and {@code redis-sentinel://} URIs ({@link RedisTarget}); the swarm
 * is {@link BackendSettings#swarm()}, the backend options are {@link RedisSettings}. Opening checks the
 * swarm's key layout version ({@link RedisLayout}).
 */
public final class RedisBackend implements ColonyBackend {

    /** For {@link java.util.ServiceLoader}. */
    public RedisBackend() {}

    @Override
    public String scheme() {
        return "redis";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-sentinel");
    }

    @Override
    public Parts open(String uri, BackendSettings settings) {
        RedisTarget target = RedisTarget.of(uri, settings.swarm());
        RedisLink link = RedisLink.open(target, RedisSettings.from(settings.options()));
        EventBus builtBus = null;
        Messenger builtMessenger = null;
        try {
            RedisLayout.check(link);
            builtBus = RedisEventBus.open(link, settings.bus());
            builtMessenger = RedisMessenger.open(link, settings.messenger());
            CoordinationState builtState = RedisState.open(link, builtBus, settings.state());
            return new Parts(builtBus, builtMessenger, builtState, link);
        } catch (RuntimeException e) {
            if (builtMessenger != null) {
                builtMessenger.close();
            }
            if (builtBus != null) {
                builtBus.close();
            }
            link.close();
            throw unreachable(e) ? new IllegalStateException("cannot reach Redis at " + target + ": " + root(e), e) : e;
        }
    }

    /** Deletes every key of the swarm ({@link RedisSwarmDrop}); the layout version is not checked. */
    @Override
    public long drop(String uri, BackendSettings settings, boolean force) {
        RedisTarget target = RedisTarget.of(uri, settings.swarm());
        try (RedisLink link = RedisLink.open(target, RedisSettings.from(settings.options()))) {
            return RedisSwarmDrop.drop(link, force);
        } catch (RuntimeException e) {
            throw unreachable(e) ? new IllegalStateException("cannot reach Redis at " + target + ": " + root(e), e) : e;
        }
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static String root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
