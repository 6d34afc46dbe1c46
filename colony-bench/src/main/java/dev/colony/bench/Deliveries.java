package dev.colony.bench;

import dev.colony.bus.EventHandler;

/**
 * Counts DIRECT deliveries on the publishing thread, so no handler is dead code. Not thread-safe: one
 * JMH thread publishes.
 */
final class Deliveries {
    long count;

    /**
     * A counting handler. Four variants are four lambda classes, so a call site that sees several
     * subscriptions is megamorphic, as it is in an application with different subscribers.
     */
    EventHandler handler(int variant) {
        return switch (variant & 3) {
            case 0 -> event -> count++;
            case 1 -> event -> count += 1;
            case 2 -> event -> ++count;
            default -> event -> count = count + 1;
        };
    }
}
