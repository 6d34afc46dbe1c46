package dev.colony.redis;

import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import dev.colony.bus.SubscriptionStats;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A subscription of a {@link RedisEventBus} node: the embedded bus's subscription, plus the node's
 * interest in the pattern, given up on close (which PUNSUBSCRIBEs the glob when no other subscription
 * of the node uses it).
 */
final class RedisEventBusSubscription implements Subscription {
    private final Subscription delegate;
    private final RedisEventBus bus;
    private final AtomicBoolean unsubscribed = new AtomicBoolean();

    RedisEventBusSubscription(Subscription delegate, RedisEventBus bus) {
        this.delegate = delegate;
        this.bus = bus;
    }

    @Override
    public SubjectPattern pattern() {
        return delegate.pattern();
    }

    @Override
    public SubscribeOptions options() {
        return delegate.options();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public SubscriptionStats stats() {
        return delegate.stats();
    }

    /** See {@link Subscription#close()}; every caller waits as the embedded subscription's close does. */
    @Override
    public void close() {
        if (unsubscribed.compareAndSet(false, true)) {
            bus.unsubscribe(this); // first, so the receiver stops handing this pattern's events over
        }
        delegate.close();
        bus.forget(delegate);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
