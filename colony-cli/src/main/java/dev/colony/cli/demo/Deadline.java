package dev.colony.cli.demo;

import java.time.Duration;

/** The instant (on {@link System#nanoTime()}) by which the whole run must be over. */
record Deadline(long atNanos) {
    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    boolean passed() {
        return remainingNanos() <= 0;
    }

    long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }
}
