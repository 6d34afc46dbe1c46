package dev.colony.bus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

/**
 * Maps subjects to routes: a trie of wildcard patterns, an array of regex patterns, and a cache from
 * subject text to its {@link Route}.
 *
 * <p><b>Locks.</b> Publishers read the cache without locks. The table's {@code lock} guards the trie, the
 * open subscriptions (each one's {@link LocalSubscription#routedIn} and their {@code count}), the
 * {@code version} of that set, the {@code generation} that {@link #clear} starts, and every write to
 * the cache; it is only ever held for bounded work (a trie walk, a few map writes), never while a
 * pattern is matched against a list of subjects or a subject against the regex patterns. Subscribe and
 * unsubscribe of wildcard and regex patterns are serialized by a second lock, {@code changes}, which no
 * publisher takes. The order is {@code changes}, then {@code lock}; nothing takes them the other way
 * round.
 *
 * <p><b>A miss</b> (the first publish of a subject): under {@code lock}, walk the trie, take the regex
 * array (replaced on change, never modified) and read {@code version}; release; match the subject
 * against the regexes; under {@code lock} again, cache the route only if {@code version} has not moved.
 * If it moved, a change ran meanwhile whose cache scan may have missed this subject, so the route is
 * used for this publish and not cached. Either way the route contains every subscription whose subscribe
 * returned before the publish began (its step 1 below happened before the miss read the trie).
 *
 * <p><b>A change</b> (under {@code changes}): (1) under {@code lock}, update the trie or the regex
 * array and the subscription's open mark, and increment {@code version}; (2) without {@code lock},
 * scan the cache for the subjects the change affects (for a subscribe, the pattern is matched against
 * each cached subject; for an unsubscribe, the routes that contain the subscription); (3) under
 * {@code lock}, replace those routes. The scan is weakly consistent, but it sees every entry cached
 * before step 1 that is still cached; an entry cached after step 1 was computed with the new version
 * (step 3 of a miss refuses older ones), so it already reflects the change. Step 3 is idempotent per
 * route ({@link Route#with} and {@link Route#without} leave a route that already reflects the change
 * alone), and, with these changes serialized, no other change's step 3 can interleave except
 * {@link #clear}, after which a subscribe's step 3 does nothing, and a literal change (below), which
 * commutes with it. Hence once a change returns, every cached route is current, and a publish that
 * starts after {@code subscribe} returns sees the new subscription. A publisher that took an old route
 * before an unsubscribe finished skips the closed subscription by its flag.
 *
 * <p><b>A literal change</b> (a pattern without wildcards) does not take {@code changes}: it affects one
 * route only, the cached route of the subject with its text, so it does all three steps in one hold of
 * {@code lock} (a map update and one cache replacement, bounded work) and is atomic to every other
 * change and miss. It may run between the steps of a wildcard or regex change; that change's scan sees
 * for each subject either the route before or after the literal change, which agree on everything but
 * the literal subscription, and its step 3 applies {@link Route#with} or {@link Route#without} to the
 * route cached at that moment, so both changes end up in the route whatever the interleaving.
 *
 * <p><b>Unwatched system subjects are not cached.</b> Colony announces every state change on a subject
 * of its own under {@code colony.} ({@code colony.agent.<id>.heartbeat}, {@code colony.task.<id>.…}):
 * many distinct subjects, each published now and then, usually to nobody. Cached, each cost about
 * 160 bytes (ADR 0064), three per idle agent. So while no open subscription could match a subject under
 * {@code colony.} ({@code watchers}: wildcard patterns whose first token is {@code colony}, {@code *} or
 * {@code >}, and every regex), a miss of such a subject returns an empty route without taking the lock
 * or caching it. {@code watchers} is written under {@code lock} in step 1 of every change (and by
 * {@link #clear}) and read by publishers without it: volatile, so a publish that starts after a subscribe
 * returned sees the count that subscribe raised and takes the ordinary miss. Routes of such subjects
 * cached while someone watched stay cached and are kept current by changes like any other.
 *
 * <p>The cache holds at most {@code capacity} subjects. When it is full, it is cleared before the next
 * insertion (counted in {@link #evictions()}), so a workload with unbounded distinct subjects keeps
 * working at the cost of more misses.
 */
final class RouteTable {
    private static final LocalSubscription[] NONE = new LocalSubscription[0];

    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock changes = new ReentrantLock();
    private final SubjectTrie trie = new SubjectTrie();
    private LocalSubscription[] regexes = NONE; // guarded by lock; replaced, never modified
    private long version; // guarded by lock
    private final ConcurrentHashMap<String, Route> cache = new ConcurrentHashMap<>();
    private final int capacity;
    private final BiPredicate<SubjectPattern, Subject> matcher;
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private long generation = 1; // guarded by lock; a subscription is open iff its routedIn equals it
    private int count; // guarded by lock: the open subscriptions
    private volatile int watchers; // written under lock: open subscriptions that could match a SYSTEM subject

    /** The prefix of Colony's own announcements; see "Unwatched system subjects" above. */
    static final String SYSTEM = "colony.";

    RouteTable(int capacity) {
        this(capacity, SubjectPattern::matches);
    }

    /** A table that matches patterns with {@code matcher} (tests slow it down to show what waits for it). */
    RouteTable(int capacity, BiPredicate<SubjectPattern, Subject> matcher) {
        this.capacity = capacity;
        this.matcher = matcher;
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
        if (watchers == 0 && subject.value().startsWith(SYSTEM)) { // pairs with the volatile write in step 1
            return Route.of(subject, List.of()); // nobody can be listening: neither locked nor cached
        }
        misses.increment();
        List<LocalSubscription> matches = new ArrayList<>();
        LocalSubscription[] regexesSeen;
        long versionSeen;
        lock.lock();
        try {
            Route cached = cache.get(subject.value());
            if (cached != null) {
                return cached;
            }
            trie.match(subject, matches);
            regexesSeen = regexes;
            versionSeen = version;
        } finally {
            lock.unlock();
        }
        for (LocalSubscription regex : regexesSeen) {
            if (matcher.test(regex.pattern(), subject)) { // outside the lock: see the class comment
                matches.add(regex);
            }
        }
        Route route = Route.of(subject, matches);
        lock.lock();
        try {
            if (version != versionSeen) {
                return route;
            }
            Route raced = cache.get(subject.value());
            if (raced != null) {
                return raced; // another miss of this subject, at the same version, cached an equal route
            }
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
        if (subscription.pattern() instanceof SubjectPattern.Wildcard w && w.isLiteral()) {
            changeLiteral(w, subscription, true);
            return;
        }
        changes.lock();
        try {
            lock.lock();
            try {
                switch (subscription.pattern()) {
                    case SubjectPattern.Wildcard w -> trie.add(w, subscription);
                    case SubjectPattern.Regex r -> regexes = with(regexes, subscription);
                }
                subscription.routedIn = generation;
                count++;
                watch(subscription, 1);
                version++;
            } finally {
                lock.unlock();
            }
            List<String> affected = affected(subscription, true);
            lock.lock();
            try {
                if (subscription.routedIn == generation) { // else the table was cleared meanwhile (bus closing)
                    for (String subject : affected) {
                        cache.computeIfPresent(subject, (s, route) -> route.with(subscription));
                    }
                }
            } finally {
                lock.unlock();
            }
        } finally {
            changes.unlock();
        }
    }

    /** Removes the subscription; returns false when it was not present (already removed). */
    boolean remove(LocalSubscription subscription) {
        if (subscription.pattern() instanceof SubjectPattern.Wildcard w && w.isLiteral()) {
            return changeLiteral(w, subscription, false);
        }
        changes.lock();
        try {
            lock.lock();
            try {
                if (subscription.routedIn != generation) {
                    return false;
                }
                subscription.routedIn = 0;
                count--;
                watch(subscription, -1);
                switch (subscription.pattern()) {
                    case SubjectPattern.Wildcard w -> trie.remove(w, subscription);
                    case SubjectPattern.Regex r -> regexes = without(regexes, subscription);
                }
                version++;
            } finally {
                lock.unlock();
            }
            List<String> affected = affected(subscription, false);
            lock.lock();
            try {
                for (String subject : affected) {
                    cache.computeIfPresent(subject, (s, route) -> route.without(subscription));
                }
            } finally {
                lock.unlock();
            }
            return true;
        } finally {
            changes.unlock();
        }
    }

    /**
     * A change of a literal subscription, all three steps in one hold of {@code lock}: the only route it
     * affects is the one of the subject with its text. Returns false when removing what is not there.
     */
    private boolean changeLiteral(SubjectPattern.Wildcard pattern, LocalSubscription subscription, boolean adding) {
        lock.lock();
        try {
            if (adding) {
                trie.add(pattern, subscription);
                subscription.routedIn = generation;
                count++;
                watch(subscription, 1);
                version++;
                cache.computeIfPresent(pattern.value(), (s, route) -> route.with(subscription));
            } else {
                if (subscription.routedIn != generation) {
                    return false;
                }
                subscription.routedIn = 0;
                count--;
                watch(subscription, -1);
                trie.remove(pattern, subscription);
                version++;
                cache.computeIfPresent(pattern.value(), (s, route) -> route.without(subscription));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Counts {@code subscription} in or out of {@code watchers} if it could match a SYSTEM subject. Under lock. */
    private void watch(LocalSubscription subscription, int delta) {
        boolean watching = switch (subscription.pattern()) {
            case SubjectPattern.Regex r -> true; // not worth deciding: regexes are rare
            case SubjectPattern.Wildcard w ->
                w.value().startsWith(SYSTEM)
                        || w.value().startsWith("*")
                        || w.value().startsWith(">");
        };
        if (watching) {
            watchers += delta; // the only writer holds the lock, so the read-modify-write is safe
        }
    }

    /**
     * Step 2 of a wildcard or regex change, without the lock: the cached subjects whose routes it
     * affects. Adding, those the pattern matches; removing, those whose route holds the subscription (no
     * matching needed).
     */
    private List<String> affected(LocalSubscription subscription, boolean adding) {
        List<String> affected = new ArrayList<>();
        for (Route route : cache.values()) {
            if (adding ? matcher.test(subscription.pattern(), route.subject) : route.contains(subscription)) {
                affected.add(route.subject.value());
            }
        }
        return affected;
    }

    /** Removes every subscription at once (closing the bus). */
    void clear() {
        lock.lock();
        try {
            trie.clear();
            regexes = NONE;
            generation++;
            count = 0;
            watchers = 0;
            cache.clear();
            version++;
        } finally {
            lock.unlock();
        }
    }

    private static LocalSubscription[] with(LocalSubscription[] array, LocalSubscription added) {
        LocalSubscription[] next = Arrays.copyOf(array, array.length + 1);
        next[array.length] = added;
        return next;
    }

    private static LocalSubscription[] without(LocalSubscription[] array, LocalSubscription removed) {
        List<LocalSubscription> rest = new ArrayList<>(Arrays.asList(array));
        rest.remove(removed);
        return rest.toArray(NONE);
    }

    /** The open subscriptions, in subscription order (collected from the trie: for tests). */
    List<LocalSubscription> subscriptions() {
        List<LocalSubscription> all = new ArrayList<>();
        lock.lock();
        try {
            trie.collect(all);
            all.addAll(Arrays.asList(regexes));
        } finally {
            lock.unlock();
        }
        all.sort(Comparator.comparingLong(LocalSubscription::id));
        return all;
    }

    int subscriptionCount() {
        lock.lock();
        try {
            return count;
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
