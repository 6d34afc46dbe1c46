package dev.colony.bus;

import java.util.Objects;

/**
 * Events this process never received: the payload of the event {@value #SUBJECT} that a distributed bus
 * publishes to its own subscribers when the sequence numbers of another process's events (on one subject, or
 * on all of them) jump (its subscriber connection was down, or fell behind and was cut off). The bus is at most once
 * across processes; this makes a loss visible, it does not repair it: use the messenger for at-least-once.
 *
 * @param publisher the id of the process (bus node) whose events were missed
 * @param subject the subject they were published on, or {@code >} when they may have been of any subject (the
 *     Redis bus's node channels carry all of a process's subjects in one sequence, ADR 0075)
 * @param missed how many were missed
 */
public record BusGap(String publisher, String subject, long missed) {
    /** The subject of gap announcements. */
    public static final String SUBJECT = "colony.bus.gap";

    public BusGap {
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(subject, "subject");
        if (missed < 1) {
            throw new IllegalArgumentException("missed must be positive, got " + missed);
        }
    }
}
