package dev.colony.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The timeouts of a {@link PendingReplies} table: a hashed wheel of {@value #SLOTS} slots, one per
 * {@link #TICK_NANOS tick} of {@link System#nanoTime()} deadline, each an intrusive doubly-linked list of
 * {@link PendingReplies.Waiting} entries under the slot's own lock. It replaces one {@code
 * ScheduledThreadPoolExecutor} task per request (ADR 0073): adding and removing are a few writes under an
 * uncontended lock, with no allocation and no heap to sift under one lock that requesters and repliers share.
 *
 * <p><b>Layout.</b> An entry whose deadline falls in tick {@code d} lives in slot {@code d & MASK}; a
 * deadline more than one turn ({@value #SLOTS} ticks) ahead shares the slot with nearer ones, and the sweep
 * leaves it there until its turn comes.
 *
 * <p><b>Adding</b> ({@link #add}, the requester's thread): link into the slot under its lock, publish the
 * slot in the entry ({@code Waiting.slot}, volatile), unlock. Then two checks, each against a race:
 * <ul>
 *   <li>The request was completed meanwhile (its {@code claimed} flag, volatile, set before {@code finish}
 *       calls {@link #remove}): the claim and the link are each written before the other is read, so at
 *       least one side sees the other and the entry is unlinked ({@link #remove} is idempotent).
 *   <li>The sweep already passed the entry's tick ({@code swept}, volatile, written by the sweep before it
 *       locks the slot): then it may have missed the entry, so it is moved to the next tick still to be
 *       swept, or failed at once if its deadline has passed. If the sweep locked the slot after the link, it
 *       saw the entry; if before, its write of {@code swept} happens-before our lock, and we see it.
 * </ul>
 *
 * <p><b>Removing</b> ({@link #remove}, whichever thread completes the request): read the entry's slot; if
 * linked, unlink under that slot's lock. Nothing else is touched, so a reply costs one uncontended lock.
 *
 * <p><b>Sweeping</b> ({@link #sweep}, the timer thread, every tick): for each tick that is over and not yet
 * swept, write {@code swept}, then under the slot's lock unlink the entries whose deadline has passed (all
 * of that tick's, none of a later turn's); fail them outside the lock. A timeout therefore fires no earlier
 * than its deadline and, unless the timer thread is starved, less than two ticks after it.
 *
 * <p><b>Bounds.</b> The wheel holds exactly the requests waiting with a timeout: a completed request is
 * unlinked at once, so nothing is retained for the length of its timeout.
 */
final class TimeoutWheel {
    /** The wheel's resolution: a timeout fires less than two ticks after its deadline. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private static final int SLOTS = 512; // a turn of 2.56 s; longer timeouts wait their turn in the slot
    private static final int MASK = SLOTS - 1;

    /** One list of entries; its fields are guarded by the slot itself. */
    static final class Slot {
        PendingReplies.Waiting head;
        int size;
    }

    private final Slot[] slots = new Slot[SLOTS];
    private volatile long swept; // the last tick the sweep started on; written by the timer thread only

    TimeoutWheel(long nowNanos) {
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
        }
        swept = tick(nowNanos) - 1;
    }

    private static long tick(long nanos) {
        return Math.floorDiv(nanos, TICK_NANOS);
    }

    /**
     * Adds {@code waiting} (its {@code deadlineNanos} set); {@code expired} is called on this thread if the
     * deadline has passed by the time the entry could be placed ahead of the sweep.
     */
    void add(PendingReplies.Waiting waiting, Consumer<PendingReplies.Waiting> expired) {
        long slotTick = tick(waiting.deadlineNanos);
        while (true) {
            Slot slot = slots[(int) (slotTick & MASK)];
            synchronized (slot) {
                link(slot, waiting);
            }
            if (waiting.isClaimed()) {
                remove(waiting); // completed while we linked it: its finish may not have seen the link
                return;
            }
            long sweptTick = swept; // volatile: pairs with the write in sweep() before it locks the slot
            if (slotTick > sweptTick) {
                return;
            }
            remove(waiting); // the sweep may have passed this slot before the link: place it again
            if (waiting.deadlineNanos - System.nanoTime() <= 0) {
                expired.accept(waiting);
                return;
            }
            slotTick = Math.max(tick(waiting.deadlineNanos), sweptTick + 1);
        }
    }

    /** Unlinks {@code waiting} if it is linked; any thread, any number of times. */
    void remove(PendingReplies.Waiting waiting) {
        Slot slot = waiting.slot; // volatile: pairs with the write in link()
        if (slot == null) {
            return;
        }
        synchronized (slot) {
            if (waiting.slot == slot) {
                unlink(slot, waiting);
            }
        }
    }

    /**
     * Sweeps every tick that has wholly passed by {@code nowNanos}: unlinks the entries whose deadline has
     * passed and hands each to {@code expired}, outside the locks.
     */
    void sweep(long nowNanos, Consumer<PendingReplies.Waiting> expired) {
        long last = tick(nowNanos) - 1; // the current tick is swept once it is over: its deadlines all passed
        long from = Math.max(swept + 1, last - MASK); // behind by more than a turn: every slot once
        List<PendingReplies.Waiting> due = new ArrayList<>();
        for (long t = from; t <= last; t++) {
            swept = t; // before the lock: an add that links after our unlock sees it (see add)
            Slot slot = slots[(int) (t & MASK)];
            synchronized (slot) {
                for (PendingReplies.Waiting w = slot.head; w != null; ) {
                    PendingReplies.Waiting next = w.next;
                    if (w.deadlineNanos - nowNanos <= 0) {
                        unlink(slot, w);
                        due.add(w);
                    }
                    w = next;
                }
            }
        }
        due.forEach(expired);
    }

    /** Entries linked now (exact when nothing adds or removes meanwhile). */
    int size() {
        int size = 0;
        for (Slot slot : slots) {
            synchronized (slot) {
                size += slot.size;
            }
        }
        return size;
    }

    private static void link(Slot slot, PendingReplies.Waiting waiting) {
        waiting.prev = null;
        waiting.next = slot.head;
        if (slot.head != null) {
            slot.head.prev = waiting;
        }
        slot.head = waiting;
        slot.size++;
        waiting.slot = slot; // volatile: published for remove() on other threads
    }

    private static void unlink(Slot slot, PendingReplies.Waiting waiting) {
        if (waiting.prev != null) {
            waiting.prev.next = waiting.next;
        } else {
            slot.head = waiting.next;
        }
        if (waiting.next != null) {
            waiting.next.prev = waiting.prev;
        }
        waiting.prev = null;
        waiting.next = null;
        slot.size--;
        waiting.slot = null;
    }
}
