package dev.colony.server;

import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.Messenger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An agent's inbox held for HTTP clients: the messenger delivers into a bounded buffer of numbered
 * messages, and clients read them by cursor with at-least-once delivery: a message stays until a read or
 * an ack names a cursor at or past its number.
 *
 * <p>Overflow policy: when {@code capacity} messages are unacknowledged the delivering thread waits, so
 * the Colony inbox behind it fills and senders get {@code MAILBOX_FULL} (back-pressure, nothing dropped).
 *
 * <p><b>The bound.</b> A message delivered and not acknowledged is in one of three places, each bounded:
 * this buffer ({@code capacity}); the batch the Colony inbox's thread took and is handing over, the first
 * waiting here for room (both backends take a batch only when the previous one was handed over, and a batch
 * is at most what was queued, so at most {@code capacity}, and at most 64 embedded or the Redis messenger's
 * {@code batch}); and the Colony inbox, which counts only what its thread has not taken ({@code capacity}:
 * embedded the mailbox, on Redis the stream's entries no reader took). So at most {@code 2 * capacity +
 * min(capacity, batch)}, {@code 3 * capacity} for a capacity up to the batch; it is reached when the buffer
 * fills exactly as a batch ends and the next batch is a whole full Colony inbox (HttpInboxBoundTest).
 *
 * <p>Closing (a {@code DELETE}, a deregistration, the server stopping): from the first {@code close()} on, a
 * message the Colony inbox hands over is kept aside instead of buffered, and every message still
 * unacknowledged here becomes a {@link DeadLetter.Reason#RECIPIENT_CLOSED} dead letter through {@link
 * Messenger#deadLetter}, failing the request it was; then the Colony inbox closes, which dead-letters the
 * messages still queued in it (newer) and waits for the handing-over thread; last, the messages kept aside
 * are dead-lettered. So the letters come oldest first, except a message that was in hand at the moment of
 * closing, which comes after the ones still queued. Each message is so either
 * acknowledged or dead-lettered, once: an ack and the final drain both hold the lock. Thread-safe.
 */
final class HttpInbox implements AutoCloseable {
    /** A message and its number in this inbox (1, 2, ...). */
    record Numbered(long seq, Envelope message) {}

    private final Inbox inbox;
    private final Messenger messenger;
    private final int capacity;
    private final ArrayDeque<Numbered> pending = new ArrayDeque<>();
    private final List<Envelope> late = new ArrayList<>(); // handed over after close began
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Condition room = lock.newCondition();
    private long nextSeq = 1;
    private boolean closed;
    private boolean waiting; // the delivering thread waits for room with a message in hand

    HttpInbox(Inbox inbox, Messenger messenger, int capacity) {
        this.inbox = inbox;
        this.messenger = messenger;
        this.capacity = capacity;
        inbox.attach(this::deliver);
    }

    private void deliver(Envelope message) throws InterruptedException {
        lock.lock();
        try {
            try {
                while (pending.size() >= capacity && !closed) {
                    waiting = true;
                    room.await();
                }
            } finally {
                waiting = false;
            }
            if (closed) {
                late.add(message); // close() dead-letters it with the unacknowledged ones
                return;
            }
            pending.addLast(new Numbered(nextSeq++, message));
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acknowledges every message up to {@code after}, then returns up to {@code max} of those after it,
     * waiting up to {@code waitNanos} for the first one.
     */
    List<Numbered> read(long after, int max, long waitNanos) throws InterruptedException {
        lock.lock();
        try {
            ackLocked(after);
            long remaining = waitNanos;
            while (pending.isEmpty() && remaining > 0 && !closed) {
                remaining = arrived.awaitNanos(remaining);
            }
            List<Numbered> out = new ArrayList<>(Math.min(max, pending.size()));
            for (Numbered n : pending) {
                if (out.size() == max) {
                    break;
                }
                out.add(n);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} for a message after {@code after}; the first such message, if any. */
    Optional<Numbered> next(long after, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (!closed) {
                for (Numbered n : pending) {
                    if (n.seq() > after) {
                        return Optional.of(n);
                    }
                }
                if (remaining <= 0) {
                    return Optional.empty();
                }
                remaining = arrived.awaitNanos(remaining);
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    void ack(long upTo) {
        lock.lock();
        try {
            ackLocked(upTo);
        } finally {
            lock.unlock();
        }
    }

    private void ackLocked(long upTo) {
        boolean removed = false;
        while (!pending.isEmpty() && pending.peekFirst().seq() <= upTo) {
            pending.removeFirst();
            removed = true;
        }
        if (removed) {
            room.signalAll();
        }
    }

    /** A message still held (unacknowledged), by number. */
    Optional<Envelope> held(long seq) {
        lock.lock();
        try {
            return pending.stream()
                    .filter(n -> n.seq() == seq)
                    .map(Numbered::message)
                    .findFirst();
        } finally {
            lock.unlock();
        }
    }

    int unread() {
        lock.lock();
        try {
            return pending.size() + inbox.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the Colony inbox's thread waits for room here with a message in hand (for tests). */
    boolean deliveryWaiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the inbox and dead-letters what its readers did not acknowledge (see the class comment). Idempotent. */
    @Override
    public void close() {
        shut();
    }

    /** {@link #close()}; how many messages it dead-lettered (0 for a call after the first). */
    int shut() {
        List<Envelope> held = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            closed = true;
            room.signalAll();
            arrived.signalAll();
            pending.forEach(n -> held.add(n.message())); // no ack can take them from here on
            pending.clear();
        } finally {
            lock.unlock();
        }
        String detail = "agent \"" + inbox.id() + "\" closed its inbox before acknowledging it";
        // oldest first: what the readers held, then (in the Colony inbox's close) what was still queued there
        for (Envelope message : held) {
            messenger.deadLetter(message, inbox.id(), DeadLetter.Reason.RECIPIENT_CLOSED, detail);
        }
        inbox.close(); // returns once the handing-over thread did: nothing reaches late after this
        List<Envelope> inHand;
        lock.lock();
        try {
            inHand = new ArrayList<>(late);
            late.clear();
        } finally {
            lock.unlock();
        }
        for (Envelope message : inHand) {
            messenger.deadLetter(message, inbox.id(), DeadLetter.Reason.RECIPIENT_CLOSED, detail);
        }
        return held.size() + inHand.size();
    }

    static long nanos(java.time.Duration d) {
        return TimeUnit.NANOSECONDS.convert(d);
    }
}
