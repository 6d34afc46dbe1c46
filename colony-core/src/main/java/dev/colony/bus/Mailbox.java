package dev.colony.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded, priority-ordered mailbox of one ASYNC subscription: many producers (publishers), one
 * consumer (the subscription's drainer thread).
 *
 * <p>One ring per event priority, created when first used; {@code capacity} bounds the total. The
 * consumer takes events in batches, highest priority first and FIFO within a priority, so a publisher's
 * events of one priority arrive in the order it published them. A lock guards the rings; producers
 * signal the consumer only when it is waiting, and the consumer drains a whole batch per lock hold, which
 * keeps the lock cost per event low.
 *
 * <p>Overflow follows {@link OverflowPolicy}; a critical event is never dropped. The choice of victim
 * under the DROP policies is "lowest priority first": the arriving event counts as the newest of its
 * priority.
 *
 * <p>The counters ({@link #dropped()}, {@link #rejected()}) change only while the mailbox is open, under
 * its lock; an offer to a closed mailbox returns {@link Offer#CLOSED} and is counted by the caller. So
 * once {@link #close()} returns, the counters are final.
 */
final class Mailbox {
    /** What an offer did. */
    enum Offer {
        ACCEPTED,
        /** Accepted after dropping a queued event. */
        ACCEPTED_DROPPED_OTHER,
        /** The arriving event was dropped. */
        DROPPED,
        /** Refused: FAIL policy, a self-publish that would deadlock, or an interrupted wait. */
        REJECTED,
        /** Refused because the mailbox is closed; not counted by the mailbox. */
        CLOSED,
        /** Full, and the policy says to wait; call {@link #offerWaiting}. */
        FULL
    }

    private static final int LEVELS = Event.MAX_PRIORITY + 1;
    /** How long an empty consumer looks for new events before it parks: spins, then as many yields. */
    private static final int SPINS = 128;

    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(Mailbox.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Ring[] rings = new Ring[LEVELS];
    private final int capacity;
    private final OverflowPolicy policy;

    // guarded by lock; `size` is also written with release semantics so the consumer may peek at it
    // without the lock while it spins before parking
    private int size;
    private boolean closed;
    private boolean consumerWaiting;
    private int producersWaiting;
    private long dropped;
    private long rejected;

    Mailbox(int capacity, OverflowPolicy policy) {
        this.capacity = capacity;
        this.policy = policy;
    }

    Offer offer(Event event, long publishedNanos) {
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            if (size < capacity) {
                push(event, publishedNanos);
                return Offer.ACCEPTED;
            }
            return overflow(event, publishedNanos);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for space (BLOCK, or a critical event that nothing can make room for) and enqueues. An
     * interrupt ends the wait with {@link Offer#REJECTED} and leaves the thread's interrupt status set.
     */
    Offer offerWaiting(Event event, long publishedNanos) {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return Offer.CLOSED;
                }
                if (size < capacity) {
                    push(event, publishedNanos);
                    return Offer.ACCEPTED;
                }
                Offer offer = overflow(event, publishedNanos);
                if (offer != Offer.FULL) {
                    return offer;
                }
                producersWaiting++;
                try {
                    notFull.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return refuse();
                } finally {
                    producersWaiting--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses an event for a reason the caller decided (a self-publish that would deadlock). */
    Offer refuse() {
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            rejected++;
            return Offer.REJECTED;
        } finally {
            lock.unlock();
        }
    }

    private Offer overflow(Event event, long publishedNanos) {
        boolean critical = event.isCritical();
        switch (policy) {
            case FAIL -> {
                rejected++;
                return Offer.REJECTED;
            }
            case BLOCK -> {
                return Offer.FULL;
            }
            case DROP_NEWEST, DROP_OLDEST -> {
                int victimLevel = lowestNonCriticalLevel();
                if (!critical
                        && (victimLevel < 0
                                || victimLevel > event.priority()
                                || (victimLevel == event.priority() && policy == OverflowPolicy.DROP_NEWEST))) {
                    dropped++;
                    return Offer.DROPPED;
                }
                if (victimLevel < 0) {
                    return Offer.FULL; // only critical events queued: wait for space
                }
                Ring victim = rings[victimLevel];
                if (policy == OverflowPolicy.DROP_OLDEST) {
                    victim.removeFirst();
                } else {
                    victim.removeLast();
                }
                SIZE.setRelease(this, size - 1);
                dropped++;
                push(event, publishedNanos);
                return Offer.ACCEPTED_DROPPED_OTHER;
            }
        }
        throw new AssertionError(policy);
    }

    private int lowestNonCriticalLevel() {
        for (int level = 0; level < Event.CRITICAL_PRIORITY; level++) {
            if (rings[level] != null && rings[level].size > 0) {
                return level;
            }
        }
        return -1;
    }

    private void push(Event event, long publishedNanos) {
        Ring ring = rings[event.priority()];
        if (ring == null) {
            ring = rings[event.priority()] = new Ring(capacity);
        }
        ring.add(event, publishedNanos);
        SIZE.setRelease(this, size + 1);
        if (consumerWaiting) {
            notEmpty.signal();
        }
    }

    /**
     * Moves up to {@code events.length} events into the arrays, highest priority first, waiting while
     * the mailbox is empty. Returns the count, or -1 once the mailbox is closed.
     */
    int drain(Event[] events, long[] publishedNanos) throws InterruptedException {
        // Parking costs the next producer a wake-up (an unpark and a scheduler hand-off, microseconds);
        // a consumer that keeps up would pay it on almost every event. Look for work a little first.
        for (int spin = 0; spin < 2 * SPINS && (int) SIZE.getAcquire(this) == 0; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        lock.lock();
        try {
            while (size == 0 && !closed) {
                consumerWaiting = true;
                try {
                    notEmpty.await();
                } finally {
                    consumerWaiting = false;
                }
            }
            if (closed) {
                return -1;
            }
            int n = 0;
            for (int level = LEVELS - 1; level >= 0 && n < events.length; level--) {
                Ring ring = rings[level];
                if (ring != null && ring.size > 0) {
                    n += ring.drainTo(events, publishedNanos, n);
                }
            }
            SIZE.setRelease(this, size - n);
            if (producersWaiting > 0 && size <= capacity / 2) {
                // wake blocked producers once half the mailbox is free: fewer, larger hand-offs
                notFull.signalAll();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the mailbox, wakes everyone waiting, and returns how many queued events were discarded. */
    int close() {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            closed = true;
            int discarded = size;
            for (int level = 0; level < LEVELS; level++) {
                rings[level] = null;
            }
            SIZE.setRelease(this, 0);
            notEmpty.signalAll();
            notFull.signalAll();
            return discarded;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    long rejected() {
        lock.lock();
        try {
            return rejected;
        } finally {
            lock.unlock();
        }
    }

    /** A growable ring of events with their publish times; grows by doubling up to the mailbox capacity. */
    private static final class Ring {
        private final int maxLength;
        private Event[] events = new Event[16];
        private long[] times = new long[16];
        private int head;
        int size;

        Ring(int capacity) {
            this.maxLength = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        }

        void add(Event event, long time) {
            if (size == events.length) {
                grow();
            }
            int at = (head + size) & (events.length - 1);
            events[at] = event;
            times[at] = time;
            size++;
        }

        void removeFirst() {
            events[head] = null;
            head = (head + 1) & (events.length - 1);
            size--;
        }

        void removeLast() {
            int at = (head + size - 1) & (events.length - 1);
            events[at] = null;
            size--;
        }

        int drainTo(Event[] out, long[] outTimes, int offset) {
            int n = Math.min(size, out.length - offset);
            int mask = events.length - 1;
            for (int i = 0; i < n; i++) {
                int at = (head + i) & mask;
                out[offset + i] = events[at];
                outTimes[offset + i] = times[at];
                events[at] = null;
            }
            head = (head + n) & mask;
            size -= n;
            return n;
        }

        private void grow() {
            int length = events.length * 2;
            if (length > maxLength * 2) {
                throw new IllegalStateException("ring grew past the mailbox capacity");
            }
            Event[] nextEvents = new Event[length];
            long[] nextTimes = new long[length];
            for (int i = 0; i < size; i++) {
                int at = (head + i) & (events.length - 1);
                nextEvents[i] = events[at];
                nextTimes[i] = times[at];
            }
            events = nextEvents;
            times = nextTimes;
            head = 0;
        }
    }
}
