package dev.colony.cli.demo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

    /** Waits for {@code latch} until the deadline; true if it opened. */
    boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(Math.max(0, remainingNanos()), TimeUnit.NANOSECONDS);
    }
}
