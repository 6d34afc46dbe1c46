package dev.colony.messaging;

import dev.colony.bus.OverflowPolicy;
import java.util.Objects;
import java.util.Set;

/**
 * How an agent's {@link Inbox} is set up.
 *
 * @param roles the agent's roles, for {@link Audience#role broadcasts}; each 1 to 128 characters from
 *     {@code [A-Za-z0-9_-]}
 * @param capacity the bound of the inbox, in messages, from 1 to {@value #MAX_CAPACITY}; messages sent before
 *     a handler is attached count against it and wait
 * @param overflow what a full inbox does with a new message: BLOCK makes the sender wait, DROP_OLDEST
 *     evicts the oldest queued message of the lowest priority (to the dead letters), DROP_NEWEST and FAIL
 *     refuse the new one ({@link SendOutcome#MAILBOX_FULL}); messages of priority 8 and 9 are never dropped
 * @param payloadType when messages are marshalled, the type the payload is bound to on decoding: a record,
 *     a class with properties, a {@code Map}, {@link RawJson}, or {@code Object} for a generic tree (the
 *     default); ignored for messages handed over by reference
 */
public record InboxOptions(Set<String> roles, int capacity, OverflowPolicy overflow, Class<?> payloadType) {
    public static final int DEFAULT_CAPACITY = 1024;
    public static final int MAX_CAPACITY = 1 << 20;

    public InboxOptions {
        roles = Roles.copy(roles);
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    "inbox capacity must be between 1 and " + MAX_CAPACITY + ", got " + capacity);
        }
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(payloadType, "payloadType");
    }

    /** No roles, {@value #DEFAULT_CAPACITY} messages, BLOCK when full, generic payloads when marshalled. */
    public static InboxOptions defaults() {
        return DEFAULTS; // shared: 10,000 agents need not carry 10,000 copies (ADR 0064)
    }

    private static final InboxOptions DEFAULTS =
            new InboxOptions(Set.of(), DEFAULT_CAPACITY, OverflowPolicy.BLOCK, Object.class);

    public InboxOptions withRoles(String... newRoles) {
        return new InboxOptions(Set.of(newRoles), capacity, overflow, payloadType);
    }

    public InboxOptions withCapacity(int newCapacity) {
        return new InboxOptions(roles, newCapacity, overflow, payloadType);
    }

    public InboxOptions withOverflow(OverflowPolicy newOverflow) {
        return new InboxOptions(roles, capacity, newOverflow, payloadType);
    }

    public InboxOptions withPayloadType(Class<?> newPayloadType) {
        return new InboxOptions(roles, capacity, overflow, newPayloadType);
    }
}
