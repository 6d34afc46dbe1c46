package dev.colony.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A bounded, priority-ordered mailbox: many producers, one consumer. It carries the events of an ASYNC
 * bus subscription and the messages of an agent. Priorities are those of {@code dev.colony.bus.Event} (0-9, critical from
 * {@link #CRITICAL_PRIORITY}).
 *
 * <p><b>Layout.</b> One ring per event priority, created when first used, each as long as the capacity
 * (rounded up to a power of two); {@code count} bounds the total. The consumer takes events in batches,
 * highest priority first and FIFO within a priority, so a publisher's events of one priority arrive in
 * the order it published them.
 *
 * <p><b>Fast path, no lock.</b> While the mailbox is not full a producer reserves room by incrementing
 * {@code count}, claims the next index of its priority's ring with an atomic add, writes the publish time
 * and then the event (a release store), and unparks the consumer only if it is parked. Room is always
 * there: at most {@code capacity} events hold a reservation, the consumer clears a slot before it gives
 * the reservation back, and every ring is at least {@code capacity} long. The consumer reads a slot with
 * an acquire load; a null slot below the producer index is a reservation still being written, so the
 * consumer stops that ring there (keeping FIFO) and comes back.
 *
 * <p><b>Slow path, under the lock.</b> A full mailbox applies the {@link Overflow} policy under the lock,
 * which the consumer also holds while it takes a batch, so only producers' fast-path appends run
 * concurrently with it: a victim is removed from a ring's head (oldest) by advancing the consumer index,
 * or from its tail (newest) by moving the producer index back with a compare-and-set. Victims are chosen
 * lowest priority first, the arriving event counting as the newest of its priority; critical events are
 * never dropped. Producers waiting for room (BLOCK) are woken once half the mailbox is free, so a flood
 * hands off in large steps; the wait is not FIFO-fair among producers.
 *
 * <p><b>Parking.</b> An empty consumer spins briefly and, when its last drain took items, yields for up to
 * {@link #ACTIVE_WAIT_NANOS} before parking, because a park costs the next producer an unpark and a
 * scheduler hand-off (microseconds); an idle one parks after the spin. It publishes {@code consumerParked}
 * before its last look at {@code count}; a producer reads it after its atomic increment of {@code count},
 * so one of the two always sees the other.
 *
 * <p><b>Closing.</b> {@link #close()} swaps {@code count} for a large negative mark under the lock: every
 * reservation made before the swap is counted as discarded (even one still being written), and every
 * later one sees a negative count and is refused as {@link Offer#CLOSED}. The counters ({@link #dropped()},
 * {@link #rejected()}) change only under the lock while the mailbox is open, so once close returns they are
 * final.
 */
public final class Mailbox<T> {
    /** What an offer did. */
    public enum Offer {
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

    /**
     * What a full mailbox does with an arriving item: the constants of {@code dev.colony.bus.OverflowPolicy},
     * by the same names and meanings (see {@link #named}), kept here so this package depends on nothing above it.
     */
    public enum Overflow {
        FAIL,
        BLOCK,
        DROP_NEWEST,
        DROP_OLDEST;

        /** The constant named {@code policy.name()}, such as {@code DROP_OLDEST}. */
        public static Overflow named(Enum<?> policy) {
            return valueOf(policy.name());
        }
    }

    /** The highest priority; the same as {@code Event.MAX_PRIORITY} (a test in the bus checks it). */
    public static final int MAX_PRIORITY = 9;
    /** Items of this priority or higher are never dropped; the same as {@code Event.CRITICAL_PRIORITY}. */
    public static final int CRITICAL_PRIORITY = 8;

    private static final int LEVELS = MAX_PRIORITY + 1;
    /** An empty consumer spins this often before it yields or parks; a blocked producer spins as often. */
    private static final int SPIN_LIMIT = 128;
    /** Pauses between two looks of a spinning consumer at {@code count}. */
    private static final int POLL_PAUSES = 16;
    /** The most pause rounds a consumer waits for a batch to build up. */
    private static final int GATHER_ROUNDS = 16;

    /**
     * How long an empty consumer whose last drain took items keeps yielding before it parks: a publisher
     * active a moment ago is likely to publish again soon, and waking a parked consumer costs it an unpark
     * and a scheduler hand-off (ADR 0037). An idle mailbox pays this once, after its last item.
     */
    private static final long ACTIVE_WAIT_NANOS = 20_000;

    private static final int CLOSED_MARK = Integer.MIN_VALUE / 2;
    private static final VarHandle COUNT;
    private static final VarHandle PARKED;
    private static final VarHandle RINGS = MethodHandles.arrayElementVarHandle(MailboxRing[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(Mailbox.class, "count", int.class);
            PARKED = lookup.findVarHandle(Mailbox.class, "consumerParked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final MailboxRing<?>[] rings = new MailboxRing<?>[LEVELS];
    private final int capacity;
    private final Overflow policy;
    private final Consumer<? super T> onEvicted;

    private volatile int count; // reservations not yet taken by the consumer; CLOSED_MARK-based once closed
    private volatile boolean consumerParked;
    private volatile Thread consumer;
    private boolean active; // consumer only: its last drain took items

    // guarded by lock
    private int producersWaiting;
    private long dropped;
    private long rejected;

    /** A mailbox that forgets the items its overflow policy evicts. */
    public Mailbox(int capacity, Overflow policy) {
        this(capacity, policy, item -> {});
    }

    /**
     * A mailbox that hands every item its overflow policy evicts from the queue (not a refused arriving
     * one: its producer has that) to {@code onEvicted}, under the mailbox lock; the callback must be quick
     * and must not call back into this mailbox.
     */
    public Mailbox(int capacity, Overflow policy, Consumer<? super T> onEvicted) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.onEvicted = Objects.requireNonNull(onEvicted, "onEvicted");
    }

    public Offer offer(T item, int priority, long publishedNanos) {
        int reserved = (int) COUNT.getAndAdd(this, 1);
        if (reserved >= 0 && reserved < capacity) {
            append(item, priority, publishedNanos);
            return Offer.ACCEPTED;
        }
        COUNT.getAndAdd(this, -1);
        if (reserved < 0) {
            return Offer.CLOSED;
        }
        if (policy == Overflow.BLOCK) {
            return Offer.FULL; // nothing to decide under the lock: the caller waits in offerWaiting
        }
        lock.lock();
        try {
            return offerLocked(item, priority, publishedNanos);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for space (BLOCK, or a critical event that nothing can make room for) and enqueues. An
     * interrupt ends the wait with {@link Offer#REJECTED} and leaves the thread's interrupt status set.
     */
    public Offer offerWaiting(T item, int priority, long publishedNanos) {
        // A parked producer wakes tens of microseconds after it is signalled, long enough for the consumer
        // to drain everything and park too; look for room a little first, as the consumer does, and take
        // it without the lock when the policy has nothing to decide.
        for (int spin = 0; spin < SPIN_LIMIT; spin++) {
            int current = count;
            if (current < 0) {
                return Offer.CLOSED;
            }
            if (current < capacity) {
                if (policy != Overflow.BLOCK) {
                    break;
                }
                if (COUNT.compareAndSet(this, current, current + 1)) {
                    append(item, priority, publishedNanos);
                    return Offer.ACCEPTED;
                }
            }
            Thread.onSpinWait();
        }
        lock.lock();
        try {
            while (true) {
                Offer offer = offerLocked(item, priority, publishedNanos);
                if (offer != Offer.FULL) {
                    return offer;
                }
                producersWaiting++;
                try {
                    notFull.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return refuseLocked();
                } finally {
                    producersWaiting--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses an event for a reason the caller decided (a self-publish that would deadlock). */
    public Offer refuse() {
        lock.lock();
        try {
            return refuseLocked();
        } finally {
            lock.unlock();
        }
    }

    private Offer refuseLocked() {
        if (count < 0) {
            return Offer.CLOSED;
        }
        rejected++;
        return Offer.REJECTED;
    }

    /** Under the lock: a reservation if there is room, otherwise the overflow policy. */
    private Offer offerLocked(T item, int priority, long publishedNanos) {
        while (true) {
            int current = count;
            if (current < 0) {
                return Offer.CLOSED;
            }
            if (current >= capacity) {
                return overflow(item, priority, publishedNanos);
            }
            if (COUNT.compareAndSet(this, current, current + 1)) {
                append(item, priority, publishedNanos);
                return Offer.ACCEPTED;
            }
        }
    }

    private Offer overflow(T item, int priority, long publishedNanos) {
        boolean critical = priority >= CRITICAL_PRIORITY;
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
                while (victimLevel < 0 && !critical) {
                    // Full by count with nothing to evict: either a fast-path producer has reserved room
                    // and not yet claimed its slot (it takes no lock, so it gets there: its event is the
                    // victim to wait for), or a producer whose reservation failed has not undone it yet
                    // (then room appears). Read in this order: the count, then the claims, then the rings.
                    // A count read after the claims may already lack an undone reservation, and rings
                    // read before the claims may miss a claim made in between; either looked like "all
                    // claimed, nothing to evict" and dropped the arrival. Under the lock claims only grow,
                    // so claims counted before the rings were seen empty are critical events.
                    int current = count;
                    if (current < capacity) {
                        return offerLocked(item, priority, publishedNanos);
                    }
                    long claimed = claimedInRings();
                    victimLevel = lowestNonCriticalLevel();
                    if (victimLevel < 0 && claimed >= current) {
                        break; // every reservation is a queued critical event: nothing to evict
                    }
                    Thread.onSpinWait();
                }
                if (!critical
                        && (victimLevel < 0
                                || victimLevel > priority
                                || (victimLevel == priority && policy == Overflow.DROP_NEWEST))) {
                    dropped++;
                    return Offer.DROPPED;
                }
                if (victimLevel < 0) {
                    return Offer.FULL; // only critical events queued: wait for space
                }
                MailboxRing<T> ring = ring(victimLevel);
                T victim = policy == Overflow.DROP_OLDEST ? ring.removeFirst() : ring.removeLast();
                onEvicted.accept(victim);
                dropped++;
                append(item, priority, publishedNanos); // takes over the victim's reservation
                return Offer.ACCEPTED_DROPPED_OTHER;
            }
        }
        throw new AssertionError(policy);
    }

    /** Events claimed in every ring; less than {@code count} while a reservation is not claimed yet. */
    private long claimedInRings() {
        long claimed = 0;
        for (int level = 0; level < LEVELS; level++) {
            MailboxRing<T> ring = ring(level);
            if (ring != null) {
                claimed += ring.claimed();
            }
        }
        return claimed;
    }

    private int lowestNonCriticalLevel() {
        for (int level = 0; level < CRITICAL_PRIORITY; level++) {
            MailboxRing<T> ring = ring(level);
            if (ring != null && !ring.isEmpty()) {
                return level;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private MailboxRing<T> ring(int level) {
        return (MailboxRing<T>) RINGS.getAcquire(rings, level);
    }

    /** Appends into the event's ring; the caller holds a reservation. */
    private void append(T item, int priority, long publishedNanos) {
        MailboxRing<T> ring = ring(priority);
        if (ring == null) {
            MailboxRing<T> created = new MailboxRing<>(capacity);
            @SuppressWarnings("unchecked")
            MailboxRing<T> witness =
                    (MailboxRing<T>) RINGS.compareAndExchange(rings, priority, (MailboxRing<?>) null, created);
            ring = witness == null ? created : witness;
        }
        ring.append(item, publishedNanos);
        if (consumerParked) {
            Thread waiting = consumer;
            if (waiting != null && PARKED.compareAndSet(this, true, false)) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /**
     * Moves up to {@code items.length} items into the arrays, highest priority first, waiting while
     * the mailbox is empty. Returns the count (possibly 0 when events are still being written), or -1
     * once the mailbox is closed. Only the consumer thread calls this.
     */
    public int drain(T[] items, long[] publishedNanos) throws InterruptedException {
        if (consumer == null) {
            consumer = Thread.currentThread();
        }
        if (count == 0) {
            awaitItems();
        }
        gather(items.length);
        lock.lock();
        try {
            if (count < 0) {
                return -1;
            }
            int n = 0;
            for (int level = LEVELS - 1; level >= 0 && n < items.length; level--) {
                MailboxRing<T> ring = ring(level);
                if (ring != null) {
                    n += ring.drainTo(items, publishedNanos, n);
                }
            }
            active = n > 0;
            int left = (int) COUNT.getAndAdd(this, -n) - n;
            if (producersWaiting > 0 && left <= capacity / 2) {
                notFull.signalAll();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets a batch build up while producers are still adding to it: takes a few short pauses as long as
     * {@code count} grows and stays below {@code batch}. Taking one item at a time while a producer adds
     * the next costs both of them a cache miss per item on the shared counters and slots; taking them in
     * batches does not (ADR 0037). Stops at once when the count stops growing, so a lone item waits one
     * pause round.
     */
    private void gather(int batch) {
        int seen = count;
        for (int round = 0; round < GATHER_ROUNDS && seen > 0 && seen < batch; round++) {
            for (int pause = 0; pause < POLL_PAUSES; pause++) {
                Thread.onSpinWait();
            }
            int now = count;
            if (now <= seen) {
                return;
            }
            seen = now;
        }
    }

    /**
     * Waits until {@code count} is not 0: spins, then, if the last drain took items (a publisher is
     * probably still active), yields for up to {@link #ACTIVE_WAIT_NANOS}, then parks. Yielding rather
     * than spinning lets other drainers on the same carrier run meanwhile (fan-out to many subscriptions).
     */
    private void awaitItems() throws InterruptedException {
        long deadline = 0;
        boolean waiting = false;
        for (int spin = 0; count == 0; spin += POLL_PAUSES) {
            if (spin < SPIN_LIMIT) {
                // look at count only now and then: every look pulls its cache line away from the
                // producers, whose next reservation then misses it
                for (int pause = 0; pause < POLL_PAUSES; pause++) {
                    Thread.onSpinWait();
                }
                continue;
            }
            if (active) {
                long now = System.nanoTime();
                if (!waiting) {
                    waiting = true;
                    deadline = now + ACTIVE_WAIT_NANOS;
                }
                if (now - deadline < 0) {
                    Thread.yield();
                    continue;
                }
                active = false;
            }
            consumerParked = true;
            if (count == 0) {
                LockSupport.park(this);
            }
            consumerParked = false;
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Closes the mailbox, wakes everyone waiting, and returns how many queued items were discarded. */
    public int close() {
        return close(null);
    }

    /**
     * Closes the mailbox, wakes everyone waiting, hands each queued item to {@code discarded} (highest
     * priority first, FIFO within a priority; {@code null} to forget them) and returns how many there
     * were. Items whose producer reserved room before the close but is still writing them are waited for,
     * so an item whose offer returned {@link Offer#ACCEPTED} is either drained or handed over here.
     */
    public int close(Consumer<? super T> discarded) {
        lock.lock();
        try {
            int queued = (int) COUNT.getAndSet(this, CLOSED_MARK);
            if (queued < 0) {
                COUNT.setVolatile(this, queued); // already closed
                return 0;
            }
            if (discarded != null && queued > 0) {
                handOver(queued, discarded);
            }
            for (int level = 0; level < LEVELS; level++) {
                RINGS.setRelease(rings, level, (MailboxRing<?>) null);
            }
            notFull.signalAll();
            Thread waiting = consumer;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock, after the close mark: waits until all {@code queued} reservations are claimed, then takes them. */
    private void handOver(int queued, Consumer<? super T> discarded) {
        int spin = 0;
        while (claimed() < queued) {
            if (++spin < SPIN_LIMIT) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // a producer between its reservation and its claim of a ring index
            }
        }
        for (int level = LEVELS - 1; level >= 0; level--) {
            MailboxRing<T> ring = ring(level);
            if (ring != null) {
                ring.removeAll(discarded);
            }
        }
    }

    private long claimed() {
        long claimed = 0;
        for (int level = 0; level < LEVELS; level++) {
            MailboxRing<T> ring = ring(level);
            if (ring != null) {
                claimed += ring.claimed();
            }
        }
        return claimed;
    }

    /** Events waiting now (reservations included); 0 once closed. */
    public int size() {
        return Math.max(0, count);
    }

    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    public long rejected() {
        lock.lock();
        try {
            return rejected;
        } finally {
            lock.unlock();
        }
    }
}
