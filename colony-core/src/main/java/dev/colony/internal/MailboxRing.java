package dev.colony.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A multi-producer ring of one priority of a {@link Mailbox}. Producers claim indexes with an atomic add; the consumer
 * index moves only under the mailbox lock (by the consumer, or by an eviction from the head).
 */
final class MailboxRing<T> {
    private static final VarHandle ITEMS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle INDEX = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PRODUCER = 8; // in the middle of 17 longs: its own cache line(s)

    private final Object[] items;
    private final long[] times;
    private final int mask;
    private final long[] producerIndex = new long[2 * PRODUCER + 1]; // padded: producers hammer it
    private long consumerIndex; // guarded by the mailbox lock

    MailboxRing(int capacity) {
        int length = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        items = new Object[length];
        times = new long[length];
        mask = length - 1;
    }

    void append(T item, long time) {
        long index = (long) INDEX.getAndAdd(producerIndex, PRODUCER, 1L);
        int slot = (int) index & mask;
        times[slot] = time; // published by the release store of the event
        ITEMS.setRelease(items, slot, item);
    }

    /** True when no reservation of this ring is waiting. Under the lock. */
    boolean isEmpty() {
        return consumerIndex == producerIndex();
    }

    /** Removes the oldest event, waiting for it to be written if needed. Under the lock, non-empty. */
    T removeFirst() {
        int slot = (int) consumerIndex & mask;
        T oldest = awaitWritten(slot);
        ITEMS.setRelease(items, slot, (Object) null);
        consumerIndex++;
        return oldest;
    }

    /**
     * Removes the newest event by moving the producer index back over it. The slot is cleared before
     * the compare-and-set (and restored if it fails), because once the index moves back a producer may
     * claim that slot again and write it at once. Under the lock, non-empty.
     */
    T removeLast() {
        while (true) {
            long end = producerIndex();
            int slot = (int) (end - 1) & mask;
            T newest = awaitWritten(slot);
            ITEMS.setRelease(items, slot, (Object) null);
            if (INDEX.compareAndSet(producerIndex, PRODUCER, end, end - 1)) {
                return newest;
            }
            ITEMS.setRelease(items, slot, newest); // a producer claimed past it meanwhile: retry
        }
    }

    @SuppressWarnings("unchecked")
    private T awaitWritten(int slot) {
        while (true) {
            T item = (T) ITEMS.getAcquire(items, slot);
            if (item != null) {
                return item;
            }
            Thread.onSpinWait(); // a producer between its claim and its write
        }
    }

    private long producerIndex() {
        return (long) INDEX.getVolatile(producerIndex, PRODUCER);
    }

    /** Indexes claimed by producers and not yet taken. Under the lock. */
    long claimed() {
        return producerIndex() - consumerIndex;
    }

    /** Takes every claimed item, waiting for those still being written. Under the lock, after the close mark. */
    void removeAll(Consumer<? super T> sink) {
        long end = producerIndex();
        while (consumerIndex < end) {
            sink.accept(removeFirst());
        }
    }

    /** Takes written events in order, stopping at the first one still being written. Under the lock. */
    int drainTo(T[] out, long[] outTimes, int offset) {
        long end = producerIndex();
        long index = consumerIndex;
        int n = 0;
        while (index < end && offset + n < out.length) {
            int slot = (int) index & mask;
            @SuppressWarnings("unchecked")
            T item = (T) ITEMS.getAcquire(items, slot);
            if (item == null) {
                break;
            }
            out[offset + n] = item;
            outTimes[offset + n] = times[slot];
            ITEMS.setRelease(items, slot, (Object) null);
            index++;
            n++;
        }
        consumerIndex = index;
        return n;
    }
}
