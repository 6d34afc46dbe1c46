package dev.colony.cli.demo;

import dev.colony.messaging.AgentId;
import dev.colony.state.Leadership;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every leadership the coordinators won, by term, as they report it; the chaos step waits on it for a leader
 * and then for a higher term. Thread-safe: one lock, and a condition signalled on every new grant.
 */
final class Elections {
    /** One term and the candidates that were granted it (exactly one when elections are sound). */
    record Term(long term, List<String> leaders) {
        Term {
            leaders = List.copyOf(leaders);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition granted = lock.newCondition();
    private final TreeMap<Long, Set<AgentId>> grants = new TreeMap<>(); // guarded by lock
    private Leadership latest; // guarded by lock
    private boolean termsIncrease = true; // guarded by lock

    /** Records a won campaign; called by the winner under {@link #lock()} so grants arrive in term order. */
    void granted(Leadership leadership) {
        lock.lock();
        try {
            Set<AgentId> holders = grants.get(leadership.term());
            if (holders == null) {
                termsIncrease &= grants.isEmpty() || grants.lastKey() < leadership.term();
                holders = new TreeSet<>(Comparator.comparing(AgentId::toString));
                grants.put(leadership.term(), holders);
                latest = leadership;
            }
            holders.add(leadership.leader());
            granted.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The lock a candidate holds around campaigning and {@link #granted}. */
    ReentrantLock lock() {
        return lock;
    }

    /** Waits until a leadership of a term above {@code term} is granted; null if the deadline passes first. */
    Leadership awaitTermAbove(long term, Deadline deadline) throws InterruptedException {
        lock.lock();
        try {
            while (latest == null || latest.term() <= term) {
                long left = deadline.remainingNanos();
                if (left <= 0) {
                    return null;
                }
                granted.await(left, TimeUnit.NANOSECONDS);
            }
            return latest;
        } finally {
            lock.unlock();
        }
    }

    /** Failovers: the terms granted after the first. */
    int failovers() {
        lock.lock();
        try {
            return Math.max(0, grants.size() - 1);
        } finally {
            lock.unlock();
        }
    }

    boolean termsIncrease() {
        lock.lock();
        try {
            return termsIncrease;
        } finally {
            lock.unlock();
        }
    }

    List<Term> terms() {
        lock.lock();
        try {
            List<Term> terms = new ArrayList<>();
            grants.forEach((term, leaders) -> terms.add(new Term(
                    term, leaders.stream().map(AgentId::toString).sorted().toList())));
            return terms;
        } finally {
            lock.unlock();
        }
    }
}
