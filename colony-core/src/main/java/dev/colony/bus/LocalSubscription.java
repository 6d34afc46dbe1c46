package dev.colony.bus;

import dev.colony.internal.Mailbox;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSED = lookup.findVarHandle(LocalSubscription.class, "closed", boolean.class);
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

    private volatile boolean closed;
    private volatile long discarded;

    // DIRECT: several publishers may deliver at once
    private final LongAdder directDelivered;
    private final LongAdder directFailed;

    // ASYNC: written only by the drainer thread, read with getOpaque by stats()
    private final Mailbox<Event> mailbox;
    private final Thread drainer;
    private final SingleWriterRecorder latency;
    private final long[] asyncCounters = new long[18];
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
        } else {
            directDelivered = null;
            directFailed = null;
            mailbox = new Mailbox<>(options.capacity(), Mailbox.Overflow.named(options.overflow()));
            latency = new SingleWriterRecorder(3);
            drainer = Thread.ofVirtual().name(threadName()).unstarted(this::drain);
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
                    COUNTERS.setOpaque(asyncCounters, DELIVERED, asyncCounters[DELIVERED] + 1);
                } catch (Throwable error) {
                    COUNTERS.setOpaque(asyncCounters, FAILED, asyncCounters[FAILED] + 1);
                    bus.reportFailure(this, event, error);
                }
            }
        }
    }

    @Override
    public void close() {
        boolean first = markClosed(true);
        completeClose(first, bus.awaitQuiescence());
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
     * The last step, after the publish gate was waited on ({@code quiet}) or could not be (a close from
     * a handler): joins the drainer and, for the first caller, folds the counters into the bus totals,
     * from a short-lived thread when deliveries may still be running.
     */
    void completeClose(boolean first, boolean quiet) {
        boolean joined = joinDrainer();
        if (first) {
            if (quiet && joined) {
                bus.retire(this);
            } else {
                Thread.ofVirtual().name(threadName() + "-retire").start(() -> {
                    bus.awaitQuiescence();
                    joinDrainer();
                    bus.retire(this);
                });
            }
        }
    }

    /** Waits for the drainer to end; returns false, at once, when called by the drainer itself. */
    private boolean joinDrainer() {
        if (drainer == null || !drainer.isAlive()) {
            return true;
        }
        if (Thread.currentThread() == drainer) {
            return false;
        }
        boolean interrupted = false;
        while (true) {
            try {
                drainer.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
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
