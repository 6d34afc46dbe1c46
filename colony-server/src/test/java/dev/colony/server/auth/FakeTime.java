package dev.colony.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock and a monotonic nanosecond source that move only when a test advances them. */
final class FakeTime implements InstantSource {
    static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public Instant instant() {
        return START.plusNanos(nanos.get());
    }

    long nanoTime() {
        return nanos.get();
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
