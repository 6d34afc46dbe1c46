package dev.colony.bus;

import java.util.Objects;

/**
 * How a subscription receives events.
 *
 * @param mode DIRECT or ASYNC
 * @param priority the subscription's rank among DIRECT subscribers of a subject, 0 to 9, higher first;
 *     ties go in subscription order
 * @param capacity the ASYNC mailbox's bound, in events (at least 1; ignored for DIRECT)
 * @param overflow what a full ASYNC mailbox does (ignored for DIRECT)
 * @param name a label for metrics and failure reports
 */
public record SubscribeOptions(DeliveryMode mode, int priority, int capacity, OverflowPolicy overflow, String name) {
    public static final int DEFAULT_CAPACITY = 1024;
    /** The largest mailbox: each priority level in use allocates a ring of this many slots (12 bytes each). */
    public static final int MAX_CAPACITY = 1 << 20;

    public SubscribeOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(name, "name");
        if (priority < Event.MIN_PRIORITY || priority > Event.MAX_PRIORITY) {
            throw new IllegalArgumentException("subscription priority must be between 0 and 9, got " + priority);
        }
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    "mailbox capacity must be between 1 and " + MAX_CAPACITY + ", got " + capacity);
        }
    }

    /** DIRECT delivery at normal priority. */
    public static SubscribeOptions direct() {
        return new SubscribeOptions(
                DeliveryMode.DIRECT, Event.NORMAL_PRIORITY, DEFAULT_CAPACITY, OverflowPolicy.BLOCK, "");
    }

    /** ASYNC delivery through a mailbox of {@value #DEFAULT_CAPACITY} events that blocks when full. */
    public static SubscribeOptions async() {
        return new SubscribeOptions(
                DeliveryMode.ASYNC, Event.NORMAL_PRIORITY, DEFAULT_CAPACITY, OverflowPolicy.BLOCK, "");
    }

    public SubscribeOptions withPriority(int priority) {
        return new SubscribeOptions(mode, priority, capacity, overflow, name);
    }

    public SubscribeOptions withCapacity(int capacity) {
        return new SubscribeOptions(mode, priority, capacity, overflow, name);
    }

    public SubscribeOptions withOverflow(OverflowPolicy overflow) {
        return new SubscribeOptions(mode, priority, capacity, overflow, name);
    }

    public SubscribeOptions withName(String name) {
        return new SubscribeOptions(mode, priority, capacity, overflow, name);
    }
}
