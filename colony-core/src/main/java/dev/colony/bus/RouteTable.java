package dev.colony.bus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Maps subjects to routes: a trie of wildcard patterns, a list of regex patterns, and a cache from
 * subject text to its {@link Route}.
 *
 * <p>Publishers read the cache without locks. A miss (the first publish of a subject) and every change
 * of subscriptions take the table's lock: a miss computes the route from the trie and the regexes and
 * caches it; a subscribe or unsubscribe updates the trie and replaces each cached route it affects
 * (a literal pattern touches one entry; a wildcard or regex pattern is checked against every cached
 * subject). Because misses and changes are serialized, a cached route is always current, and a
 * publish that starts after {@code subscribe} returns sees the new subscription.
 *
 * <p>The cache holds at most {@code capacity} subjects. When it is full, it is cleared before the next
 * insertion (counted in {@link #evictions()}), so a workload with unbounded distinct subjects keeps
 * working at the cost of more misses.
 */
final class RouteTable {
    private final ReentrantLock lock = new ReentrantLock();
    private final SubjectTrie trie = new SubjectTrie();
    private final List<LocalSubscription> regexes = new ArrayList<>();
    private final ConcurrentHashMap<String, Route> cache = new ConcurrentHashMap<>();
    private final int capacity;
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final Set<LocalSubscription> open = new LinkedHashSet<>(); // identity, in subscription order

    RouteTable(int capacity) {
        this.capacity = capacity;
    }

    /** The route of a subject given as text; the text is validated only when it is not cached yet. */
    Route route(String subject) {
        Route route = cache.get(subject);
        return route != null ? route : miss(Subject.of(subject));
    }

    Route route(Subject subject) {
        Route route = cache.get(subject.value());
        return route != null ? route : miss(subject);
    }

    private Route miss(Subject subject) {
        lock.lock();
        try {
            misses.increment();
            Route route = cache.get(subject.value());
            if (route != null) {
                return route;
            }
            List<LocalSubscription> matches = new ArrayList<>();
            trie.match(subject, matches);
            for (LocalSubscription regex : regexes) {
                if (regex.pattern().matches(subject)) {
                    matches.add(regex);
                }
            }
            route = Route.of(subject, matches);
            if (cache.size() >= capacity) {
                cache.clear();
                evictions.increment();
            }
            cache.put(subject.value(), route);
            return route;
        } finally {
            lock.unlock();
        }
    }

    void add(LocalSubscription subscription) {
        lock.lock();
        try {
            switch (subscription.pattern()) {
                case SubjectPattern.Wildcard w -> trie.add(w, subscription);
                case SubjectPattern.Regex r -> regexes.add(subscription);
            }
            open.add(subscription);
            updateCache(subscription, true);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the subscription; returns false when it was not present (already removed). */
    boolean remove(LocalSubscription subscription) {
        lock.lock();
        try {
            if (!open.remove(subscription)) {
                return false;
            }
            switch (subscription.pattern()) {
                case SubjectPattern.Wildcard w -> trie.remove(w, subscription);
                case SubjectPattern.Regex r -> regexes.remove(subscription);
            }
            updateCache(subscription, false);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes every subscription at once (closing the bus). */
    void clear() {
        lock.lock();
        try {
            trie.clear();
            regexes.clear();
            open.clear();
            cache.clear();
        } finally {
            lock.unlock();
        }
    }

    private void updateCache(LocalSubscription subscription, boolean adding) {
        if (subscription.pattern() instanceof SubjectPattern.Wildcard w && w.isLiteral()) {
            Route route = cache.get(w.value());
            if (route != null) {
                cache.put(w.value(), adding ? route.with(subscription) : route.without(subscription));
            }
            return;
        }
        for (Map.Entry<String, Route> entry : cache.entrySet()) {
            Route route = entry.getValue();
            if (subscription.pattern().matches(route.subject)) {
                entry.setValue(adding ? route.with(subscription) : route.without(subscription));
            }
        }
    }

    /** The open subscriptions, in subscription order. */
    List<LocalSubscription> subscriptions() {
        lock.lock();
        try {
            return List.copyOf(open);
        } finally {
            lock.unlock();
        }
    }

    int subscriptionCount() {
        lock.lock();
        try {
            return open.size();
        } finally {
            lock.unlock();
        }
    }

    long misses() {
        return misses.sum();
    }

    long evictions() {
        return evictions.sum();
    }

    int cacheSize() {
        return cache.size();
    }
}
