package dev.colony.bus;

import dev.colony.internal.Mailbox;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A subscription of the {@link LocalEventBus}: a handler with its delivery mode and, for ASYNC, its
 * mailbox and drainer thread.
 *
 * <p>Close protocol. {@link #close()} sets {@code closed} (volatile, by compare-and-set so one caller
 * does the bookkeeping), removes the subscription from the route table, closes the mailbox (discarding
 * what is queued), waits on the bus's publish gate until no DIRECT delivery that might have missed the
 * flag is running, and joins the ASYNC drainer, which checks the flag before every handler call. Every
 * caller of {@code close()} waits for the gate and the drainer, so whichever returns, the handler is
 * never called again; no caller holds a lock while it waits, so a handler may close any subscription,
 * its own included, without deadlock.
 *
 * <p>Bounded close. Both waits end at one deadline, the bus's close timeout after the close began. A
 * drainer still running then is abandoned ({@link #abandon}: a compare-and-set of {@code abandoned}, so
 * one closer counts it, then an interrupt); the drainer reads {@code abandoned} after the handler call
 * returns or throws, skips counting that call (the bus counted it as abandoned) and ends, since
 * {@code closed} is set. A publish gate that does not quiesce by the deadline means a DIRECT handler on
 * some publisher's thread does not return; the closer logs that and returns without interrupting it.
 *
 * <p>Retirement. Once nothing can change its counters any more, the first closer folds them into the
 * bus totals ({@link LocalEventBus#retire}). A close called from a handler cannot wait for that moment
 * (the delivery it runs in, and for DIRECT those on other threads, still count when they finish), so it
 * hands the retirement to a short-lived virtual thread that waits for the gate and the drainer first.
 */
final class LocalSubscription implements Subscription {
    private static final int BATCH = 256;
    private static final VarHandle COUNTERS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int DELIVERED = 8; // the drainer's counters sit on their own cache line, away
    private static final int FAILED = 9; //    from `closed`, which every publisher reads
    private static final VarHandle CLOSED;
    private static final VarHandle ABANDONED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSED = lookup.findVarHandle(LocalSubscription.class, "closed", boolean.class);
            ABANDONED = lookup.findVarHandle(LocalSubscription.class, "abandoned", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final SubjectPattern pattern;
    private final SubscribeOptions options;
    private final EventHandler handler;
    private final LocalEventBus bus;
    final boolean direct;

    // Bookkeeping of the bus and of its route table, each guarded by its owner's lock; no hash set of
    // subscriptions is needed, so subscribing and closing touch no table that grows with their number.
    int liveIndex = -1; // position in LocalEventBus.live while not retired, guarded by its `retired` lock
    long routedIn; // the RouteTable generation it was added in, 0 once removed; guarded by the table's lock

    private volatile boolean closed;
    private volatile boolean abandoned; // a close gave up on the running ASYNC handler call and interrupted it
    private volatile long discarded;

    // DIRECT: several publishers may deliver at once
    private final LongAdder directDelivered;
    private final LongAdder directFailed;

    // ASYNC: written only by the drainer thread, read with getOpaque by stats()
    private final Mailbox<Event> mailbox;
    private final Thread drainer;
    private final SingleWriterRecorder latency;
    private final long[] asyncCounters; // 18 longs, only for ASYNC
    private volatile long drainerDiscarded;

    LocalSubscription(
            long id, SubjectPattern pattern, EventHandler handler, SubscribeOptions options, LocalEventBus bus) {
        this.id = id;
        this.pattern = pattern;
        this.handler = handler;
        this.options = options;
        this.bus = bus;
        this.direct = options.mode() == DeliveryMode.DIRECT;
        if (direct) {
            directDelivered = new LongAdder();
            directFailed = new LongAdder();
            mailbox = null;
            drainer = null;
            latency = null;
            asyncCounters = null;
        } else {
            directDelivered = null;
            directFailed = null;
            mailbox = new Mailbox<>(options.capacity(), Mailbox.Overflow.named(options.overflow()));
            latency = new SingleWriterRecorder(3);
            asyncCounters = new long[18];
            drainer = bus.drainerThread(threadName(), this::drain);
        }
    }

    void start() {
        if (drainer != null) {
            drainer.start();
        }
    }

    long id() {
        return id;
    }

    @Override
    public SubjectPattern pattern() {
        return pattern;
    }

    @Override
    public SubscribeOptions options() {
        return options;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    boolean isClosed() {
        return closed;
    }

    /** Delivers on the calling thread; returns false when the handler threw. */
    boolean deliverDirect(Event event) {
        try {
            handler.handle(event);
            directDelivered.increment();
            return true;
        } catch (Throwable error) {
            directFailed.increment();
            bus.reportFailure(this, event, error);
            return false;
        }
    }

    Mailbox.Offer offer(Event event, long publishedNanos) {
        return mailbox.offer(event, event.priority(), publishedNanos);
    }

    /** Waits for mailbox space. Refuses instead when called by this subscription's own drainer. */
    Mailbox.Offer offerWaiting(Event event, long publishedNanos) {
        if (Thread.currentThread() == drainer) {
            return mailbox.refuse(); // the only thread that could make room is this one
        }
        return mailbox.offerWaiting(event, event.priority(), publishedNanos);
    }

    private void drain() {
        Event[] events = new Event[BATCH];
        long[] times = new long[BATCH];
        while (true) {
            int n;
            try {
                n = mailbox.drain(events, times);
            } catch (InterruptedException e) {
                // only close() stops the drainer; an interrupt from elsewhere is ignored
                continue;
            }
            if (n < 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                if (closed) {
                    drainerDiscarded = n - i;
                    return;
                }
                Event event = events[i];
                events[i] = null;
                if (times[i] != 0) {
                    latency.recordValue(Math.max(0, System.nanoTime() - times[i]));
                }
                try {
                    handler.handle(event);
                    if (abandoned) {
                        drainerDiscarded = n - i - 1; // this call was counted as abandoned by the close
                        return;
                    }
                    COUNTERS.setOpaque(asyncCounters, DELIVERED, asyncCounters[DELIVERED] + 1);
                } catch (Throwable error) {
                    if (abandoned) {
                        drainerDiscarded = n - i - 1; // most likely the close's interrupt: abandoned, not failed
                        return;
                    }
                    COUNTERS.setOpaque(asyncCounters, FAILED, asyncCounters[FAILED] + 1);
                    bus.reportFailure(this, event, error);
                }
            }
        }
    }

    @Override
    public void close() {
        long deadline = System.nanoTime() + bus.closeTimeoutNanos();
        boolean first = markClosed(true);
        PublishGate.Quiescence quiescence = bus.awaitQuiescence(deadline);
        boolean ended = joinDrainer(deadline);
        boolean stuck = !ended && !isDrainer(Thread.currentThread());
        if (stuck || quiescence == PublishGate.Quiescence.TIMED_OUT) {
            bus.abandon(stuck ? List.of(this) : List.of(), quiescence);
        }
        completeClose(first, quiescence, ended);
    }

    /**
     * The first step of closing: sets the flag and, for the first caller, leaves the route table (unless
     * the bus clears it whole) and closes the mailbox. Returns true for the first caller.
     */
    boolean markClosed(boolean unsubscribe) {
        boolean first = CLOSED.compareAndSet(this, false, true);
        if (first) {
            if (unsubscribe) {
                bus.unsubscribe(this);
            }
            if (mailbox != null) {
                discarded = mailbox.close();
            }
        }
        return first;
    }

    /**
     * The last step, after the publish gate was waited on ({@code quiescence}) and the drainer joined
     * ({@code ended}) or abandoned: for the first caller, folds the counters into the bus totals. When
     * this close could not wait (called from a handler, inside a publish or on the drainer), a short-lived
     * thread does that once deliveries have finished, waiting at most the close timeout too and then
     * abandoning what still runs. After a timed-out gate it is done at once: a DIRECT handler that does
     * not return would otherwise hold one such thread per subscription.
     */
    void completeClose(boolean first, PublishGate.Quiescence quiescence, boolean ended) {
        if (!first) {
            return;
        }
        if (quiescence != PublishGate.Quiescence.INSIDE_PUBLISH && (ended || isAbandoned())) {
            bus.retire(this);
            return;
        }
        Thread.ofVirtual().name(threadName() + "-retire").start(() -> {
            long deadline = System.nanoTime() + bus.closeTimeoutNanos();
            PublishGate.Quiescence later = bus.awaitQuiescence(deadline);
            if (!joinDrainer(deadline)) {
                bus.abandon(List.of(this), later);
            }
            bus.retire(this);
        });
    }

    /**
     * Gives up on the running handler call: marks it abandoned (so its outcome is not counted) and
     * interrupts the drainer. Returns false when another closer abandoned it first.
     */
    boolean abandon() {
        if (!ABANDONED.compareAndSet(this, false, true)) {
            return false;
        }
        drainer.interrupt();
        return true;
    }

    boolean isDrainer(Thread thread) {
        return drainer == thread;
    }

    boolean isAbandoned() {
        return abandoned;
    }

    /**
     * Waits for the drainer to end until {@code deadline} ({@link System#nanoTime()} time); returns true
     * when it ended (or there is none), false when it still runs, at once when called by the drainer
     * itself. Interrupts do not end the wait; the caller's interrupt status is kept.
     */
    boolean joinDrainer(long deadline) {
        if (drainer == null || !drainer.isAlive()) {
            return true;
        }
        if (Thread.currentThread() == drainer) {
            return false;
        }
        boolean interrupted = false;
        boolean ended = false;
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                ended = drainer.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return ended || !drainer.isAlive();
    }

    /** Moves the latency recorded since the last call into {@code into}. */
    void drainLatency(Histogram into) {
        if (latency != null) {
            synchronized (latency) {
                into.add(latency.getIntervalHistogram());
            }
        }
    }

    @Override
    public SubscriptionStats stats() {
        if (direct) {
            return new SubscriptionStats(directDelivered.sum(), directFailed.sum(), 0, 0, 0, 0);
        }
        return new SubscriptionStats(
                (long) COUNTERS.getOpaque(asyncCounters, DELIVERED),
                (long) COUNTERS.getOpaque(asyncCounters, FAILED),
                mailbox.dropped(),
                mailbox.rejected(),
                discarded + drainerDiscarded,
                mailbox.size());
    }

    private String threadName() {
        return "colony-bus-" + (options.name().isEmpty() ? pattern.value() : options.name()) + "-" + id;
    }

    @Override
    public String toString() {
        return "Subscription[" + pattern + ", " + options.mode()
                + (options.name().isEmpty() ? "" : ", " + options.name()) + "]";
    }
}
