package dev.colony.messaging;

import dev.colony.bus.OverflowPolicy;
import dev.colony.internal.Mailbox;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * An inbox of a {@link LocalMessenger}: a {@link Mailbox} of envelopes (or {@link Encoded} messages when
 * marshalling) drained by one virtual thread once a handler is attached.
 *
 * <p>The drainer thread starts lazily: at {@link #attach} when messages are already queued, otherwise on
 * the first accepted offer after the attach (whichever comes first, by a compare-and-set of
 * {@code started}). An attached inbox that never receives a message holds no thread and no stack, which
 * is most of an idle agent's heap (ADR 0038). Attach and offer each write (the handler flag, the mailbox
 * count) before they read what the other wrote, so at least one of them sees the other and starts it.
 *
 * <p>Items the overflow policy evicts are handed over under the mailbox lock; they are parked in
 * {@code evicted} and turned into dead letters by the sender after its offer returns, so no dead-letter
 * work (which may complete a request's future and run user code) happens under the lock. The queue is
 * created with the first eviction, by a compare-and-set so racing evictions share one (ADR 0064): most
 * inboxes never evict.
 */
final class LocalInbox implements Inbox, Consumer<Object> {
    /** Batches start small and grow to {@code MAX_BATCH} when one fills: an idle agent's inbox stays light. */
    private static final int FIRST_BATCH = 4;

    private static final int MAX_BATCH = 64;
    private static final VarHandle CLOSED;
    private static final VarHandle STARTED;
    private static final VarHandle EVICTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSED = lookup.findVarHandle(LocalInbox.class, "closed", boolean.class);
            STARTED = lookup.findVarHandle(LocalInbox.class, "started", boolean.class);
            EVICTED = lookup.findVarHandle(LocalInbox.class, "evicted", ConcurrentLinkedQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A message in its encoded form, and (for reporting only, never for the handler) the envelope it came from. */
    record Encoded(byte[] bytes, Envelope original) {}

    private final LocalMessenger messenger;
    private final AgentId id;
    private final InboxOptions options;
    private final Mailbox<Object> mailbox;
    private volatile ConcurrentLinkedQueue<Object> evicted; // created with the first eviction
    private final InboxDrainer drainer = new InboxDrainer();
    private volatile boolean closed;
    private volatile boolean attached; // a handler is set: the drainer may start
    private volatile boolean started; // the drainer was started (or refused because the inbox is closing)
    private MessageHandler handler; // written before the drainer starts, read only by it

    LocalInbox(LocalMessenger messenger, AgentId id, InboxOptions options) {
        this.messenger = messenger;
        this.id = id;
        this.options = options;
        this.mailbox = new Mailbox<>(options.capacity(), Mailbox.Overflow.named(options.overflow()), this);
    }

    @Override
    public AgentId id() {
        return id;
    }

    @Override
    public Set<String> roles() {
        return options.roles();
    }

    Class<?> payloadType() {
        return options.payloadType();
    }

    @Override
    public synchronized void attach(MessageHandler newHandler) {
        Objects.requireNonNull(newHandler, "handler");
        InboxDrainer.checkAttach(id, closed, handler != null);
        handler = newHandler;
        attached = true;
        if (mailbox.size() > 0) {
            startDrainer();
        }
    }

    /** Starts the drainer once; nothing when it runs already or the inbox is closing (its close takes the queue). */
    private void startDrainer() {
        if (STARTED.compareAndSet(this, false, true)) {
            drainer.start("colony-inbox-" + id, this::drain);
        }
    }

    /** Queues {@code item}; the outcome for the sender. Dead letters for anything refused or evicted are recorded. */
    SendOutcome offer(Object item, int priority) {
        Mailbox.Offer offer = mailbox.offer(item, priority, 0L);
        if (offer == Mailbox.Offer.FULL) {
            offer = drainer.isCurrent()
                    ? mailbox.refuse() // waiting for room only this thread can make would deadlock
                    : mailbox.offerWaiting(item, priority, 0L);
        }
        if (!started
                && attached
                && (offer == Mailbox.Offer.ACCEPTED || offer == Mailbox.Offer.ACCEPTED_DROPPED_OTHER)) {
            startDrainer();
        }
        return switch (offer) {
            case ACCEPTED -> SendOutcome.DELIVERED;
            case ACCEPTED_DROPPED_OTHER -> {
                reportEvicted();
                yield SendOutcome.DELIVERED;
            }
            case DROPPED ->
                messenger.deadLetter(item, id, DeadLetter.Reason.MAILBOX_FULL, fullDetail(), SendOutcome.MAILBOX_FULL);
            case REJECTED ->
                Thread.currentThread().isInterrupted()
                        ? messenger.deadLetter(
                                item,
                                id,
                                DeadLetter.Reason.REJECTED,
                                "the sender was interrupted while waiting for room",
                                SendOutcome.REJECTED)
                        : messenger.deadLetter(
                                item, id, DeadLetter.Reason.MAILBOX_FULL, fullDetail(), SendOutcome.MAILBOX_FULL);
            case CLOSED ->
                messenger.deadLetter(
                        item,
                        id,
                        DeadLetter.Reason.RECIPIENT_CLOSED,
                        "agent \"" + id + "\" closed its inbox",
                        SendOutcome.REJECTED);
            case FULL -> throw new AssertionError("offerWaiting never returns FULL");
        };
    }

    private String fullDetail() {
        String detail = "the inbox of agent \"" + id + "\" is full (" + options.capacity() + " messages, "
                + options.overflow() + ")";
        return options.overflow() == OverflowPolicy.BLOCK ? detail + " and the sender is its own handler" : detail;
    }

    /** The mailbox's eviction callback: parks {@code victim} for {@link #reportEvicted}. Under the mailbox lock. */
    @Override
    public void accept(Object victim) {
        evicted().add(victim);
    }

    /** The queue of evicted items, created once by whichever caller comes first. */
    ConcurrentLinkedQueue<Object> evicted() {
        ConcurrentLinkedQueue<Object> queue = evicted;
        if (queue == null) {
            ConcurrentLinkedQueue<Object> created = new ConcurrentLinkedQueue<>();
            @SuppressWarnings("unchecked")
            ConcurrentLinkedQueue<Object> witness =
                    (ConcurrentLinkedQueue<Object>) EVICTED.compareAndExchange(this, null, created);
            queue = witness != null ? witness : created;
        }
        return queue;
    }

    private void reportEvicted() {
        ConcurrentLinkedQueue<Object> queue = evicted; // volatile: pairs with the exchange in evicted()
        if (queue == null) {
            return;
        }
        Object victim;
        while ((victim = queue.poll()) != null) {
            messenger.deadLetter(
                    victim,
                    id,
                    DeadLetter.Reason.EVICTED,
                    "evicted from the full inbox of agent \"" + id + "\" (" + options.overflow() + ")",
                    SendOutcome.DELIVERED);
        }
    }

    private void drain() {
        Object[] batch = new Object[FIRST_BATCH];
        long[] times = new long[FIRST_BATCH];
        while (true) {
            int n;
            try {
                n = mailbox.drain(batch, times);
            } catch (InterruptedException e) {
                continue; // only close() stops the drainer
            } catch (Throwable error) {
                continue; // the mailbox is not expected to fail; the drainer must not die if it does
            }
            if (n < 0) {
                return;
            }
            if (n == batch.length && batch.length < MAX_BATCH) {
                Object[] full = batch;
                batch = new Object[MAX_BATCH];
                System.arraycopy(full, 0, batch, 0, n);
                times = new long[MAX_BATCH];
            }
            for (int i = 0; i < n; i++) {
                Object item = batch[i];
                batch[i] = null;
                try {
                    if (closed) {
                        discard(item);
                    } else {
                        messenger.handle(this, handler, item);
                    }
                } catch (Throwable error) { // handle() throws nothing by design; this is the last line
                    messenger.unhandled(this, item, error);
                }
            }
        }
    }

    private void discard(Object item) {
        messenger.deadLetter(
                item,
                id,
                DeadLetter.Reason.RECIPIENT_CLOSED,
                "agent \"" + id + "\" closed its inbox before handling it",
                SendOutcome.REJECTED);
    }

    @Override
    public int size() {
        return mailbox.size();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the inbox, waits up to the messenger's close timeout for the handler running now, and
     * abandons it past that (interrupted, counted and logged by the messenger). Idempotent.
     */
    @Override
    public void close() {
        stop();
        messenger.abandoned(InboxDrainer.awaitAll(
                List.of(this), LocalInbox::drainer, System.nanoTime() + messenger.closeTimeoutNanos()));
    }

    /** Closes the mailbox and dead-letters what it held, without waiting for the handler. Idempotent. */
    void stop() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        messenger.removed(this);
        List<Object> left = new ArrayList<>();
        mailbox.close(left::add);
        reportEvicted();
        left.forEach(this::discard);
    }

    InboxDrainer drainer() {
        return drainer;
    }

    @Override
    public String toString() {
        return "Inbox[" + id + "]";
    }
}
