package dev.colony.bus;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The subscriptions one subject is delivered to, in delivery order (subscription priority, highest
 * first, then subscription order). Immutable: the route table replaces a route instead of changing it,
 * so publishers read routes without locks.
 */
final class Route {
    static final Comparator<LocalSubscription> ORDER = Comparator.comparingInt(
                    (LocalSubscription s) -> -s.options().priority())
            .thenComparingLong(LocalSubscription::id);

    private static final LocalSubscription[] NONE = new LocalSubscription[0];

    final Subject subject;
    final LocalSubscription[] subscriptions;
    final boolean hasAsync;

    private Route(Subject subject, LocalSubscription[] subscriptions) {
        this.subject = subject;
        this.subscriptions = subscriptions;
        boolean async = false;
        for (LocalSubscription s : subscriptions) {
            async |= s.options().mode() == DeliveryMode.ASYNC;
        }
        this.hasAsync = async;
    }

    static Route of(Subject subject, List<LocalSubscription> matches) {
        if (matches.isEmpty()) {
            return new Route(subject, NONE); // most cached routes of a swarm: state subjects nobody listens to
        }
        LocalSubscription[] sorted = matches.toArray(LocalSubscription[]::new);
        Arrays.sort(sorted, ORDER);
        return new Route(subject, sorted);
    }

    /** This route plus {@code added}; this route itself when it already holds it. */
    Route with(LocalSubscription added) {
        if (contains(added)) {
            return this;
        }
        LocalSubscription[] next = Arrays.copyOf(subscriptions, subscriptions.length + 1);
        int at = next.length - 1;
        while (at > 0 && ORDER.compare(next[at - 1], added) > 0) {
            next[at] = next[at - 1];
            at--;
        }
        next[at] = added;
        return new Route(subject, next);
    }

    boolean contains(LocalSubscription subscription) {
        for (LocalSubscription s : subscriptions) {
            if (s == subscription) {
                return true;
            }
        }
        return false;
    }

    /** This route less {@code removed}; this route itself when it does not hold it. */
    Route without(LocalSubscription removed) {
        int index = -1;
        for (int i = 0; i < subscriptions.length; i++) {
            if (subscriptions[i] == removed) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            return this;
        }
        LocalSubscription[] next = new LocalSubscription[subscriptions.length - 1];
        System.arraycopy(subscriptions, 0, next, 0, index);
        System.arraycopy(subscriptions, index + 1, next, index, next.length - index);
        return new Route(subject, next);
    }
}
