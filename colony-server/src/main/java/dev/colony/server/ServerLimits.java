package dev.colony.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's bounds: the largest request body, the longest long-poll, the SSE replay ring (events and
 * bytes), and the per-connection SSE buffer.
 *
 * <p>Overflow policies: a larger body is refused with 413 before it is read past the limit; a longer
 * {@code wait} is capped, not refused; the ring drops its oldest events (a resume from before them gets
 * {@code event: reset}); a full SSE connection buffer ends the stream with {@code event: gap}.
 *
 * @param maxBodyBytes the largest request body, in bytes (default 1 MiB)
 * @param maxWait the longest long-poll ({@code wait} of task claim and inbox read; default 25 s)
 * @param ringEvents how many recent events the SSE replay ring keeps (default 4,096)
 * @param ringBytes how many payload bytes the ring keeps at most (default 16 MiB)
 * @param streamBuffer how many events one SSE connection may have waiting to be written (default 1,024)
 */
public record ServerLimits(int maxBodyBytes, Duration maxWait, int ringEvents, long ringBytes, int streamBuffer) {
    /** The default body limit: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public ServerLimits {
        if (maxBodyBytes < 1024 || maxBodyBytes > 64 << 20) {
            throw new IllegalArgumentException("maxBodyBytes must be from 1 KiB to 64 MiB, got " + maxBodyBytes);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative() || maxWait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("maxWait must be from 0 to 5 minutes, got " + maxWait);
        }
        if (ringEvents < 1 || ringEvents > 1 << 20) {
            throw new IllegalArgumentException("ringEvents must be from 1 to " + (1 << 20) + ", got " + ringEvents);
        }
        if (ringBytes < 1024) {
            throw new IllegalArgumentException("ringBytes must be at least 1024, got " + ringBytes);
        }
        if (streamBuffer < 1 || streamBuffer > 1 << 16) {
            throw new IllegalArgumentException("streamBuffer must be from 1 to " + (1 << 16) + ", got " + streamBuffer);
        }
    }

    /** The defaults: 1 MiB bodies, 25 s long-polls, a 4,096-event/16 MiB ring, 1,024-event stream buffers. */
    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(25), 4096, 16L << 20, 1024);
    }

    /** These limits with another body limit. */
    public ServerLimits withMaxBodyBytes(int bytes) {
        return new ServerLimits(bytes, maxWait, ringEvents, ringBytes, streamBuffer);
    }

    /** These limits with another replay ring size. */
    public ServerLimits withRing(int events, long bytes) {
        return new ServerLimits(maxBodyBytes, maxWait, events, bytes, streamBuffer);
    }

    /** These limits with another per-connection SSE buffer. */
    public ServerLimits withStreamBuffer(int events) {
        return new ServerLimits(maxBodyBytes, maxWait, ringEvents, ringBytes, events);
    }
}
