package dev.colony.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A multi-producer ring of one priority of a {@link Mailbox}. Producers claim indexes with an atomic add; the consumer
 * index moves only under the mailbox lock (by the consumer, or by an eviction from the head).
 */
final class MailboxRing {
    private static final VarHandle EVENTS = MethodHandles.arrayElementVarHandle(Event[].class);
    private static final VarHandle INDEX = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PRODUCER = 8; // in the middle of 17 longs: its own cache line(s)

    private final Event[] events;
    private final long[] times;
    private final int mask;
    private final long[] producerIndex = new long[2 * PRODUCER + 1]; // padded: producers hammer it
    private long consumerIndex; // guarded by the mailbox lock

    MailboxRing(int capacity) {
        int length = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        events = new Event[length];
        times = new long[length];
        mask = length - 1;
    }

    void append(Event event, long time) {
        long index = (long) INDEX.getAndAdd(producerIndex, PRODUCER, 1L);
        int slot = (int) index & mask;
        times[slot] = time; // published by the release store of the event
        EVENTS.setRelease(events, slot, event);
    }

    /** True when no reservation of this ring is waiting. Under the lock. */
    boolean isEmpty() {
        return consumerIndex == producerIndex();
    }

    /** Removes the oldest event, waiting for it to be written if needed. Under the lock, non-empty. */
    void removeFirst() {
        int slot = (int) consumerIndex & mask;
        awaitWritten(slot);
        EVENTS.setRelease(events, slot, (Event) null);
        consumerIndex++;
    }

    /**
     * Removes the newest event by moving the producer index back over it. The slot is cleared before
     * the compare-and-set (and restored if it fails), because once the index moves back a producer may
     * claim that slot again and write it at once. Under the lock, non-empty.
     */
    void removeLast() {
        while (true) {
            long end = producerIndex();
            int slot = (int) (end - 1) & mask;
            Event newest = awaitWritten(slot);
            EVENTS.setRelease(events, slot, (Event) null);
            if (INDEX.compareAndSet(producerIndex, PRODUCER, end, end - 1)) {
                return;
            }
            EVENTS.setRelease(events, slot, newest); // a producer claimed past it meanwhile: retry
        }
    }

    private Event awaitWritten(int slot) {
        while (true) {
            Event event = (Event) EVENTS.getAcquire(events, slot);
            if (event != null) {
                return event;
            }
            Thread.onSpinWait(); // a producer between its claim and its write
        }
    }

    private long producerIndex() {
        return (long) INDEX.getVolatile(producerIndex, PRODUCER);
    }

    /** Takes written events in order, stopping at the first one still being written. Under the lock. */
    int drainTo(Event[] out, long[] outTimes, int offset) {
        long end = producerIndex();
        long index = consumerIndex;
        int n = 0;
        while (index < end && offset + n < out.length) {
            int slot = (int) index & mask;
            Event event = (Event) EVENTS.getAcquire(events, slot);
            if (event == null) {
                break;
            }
            out[offset + n] = event;
            outTimes[offset + n] = times[slot];
            EVENTS.setRelease(events, slot, (Event) null);
            index++;
            n++;
        }
        consumerIndex = index;
        return n;
    }
}
