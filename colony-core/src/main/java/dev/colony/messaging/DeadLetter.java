package dev.colony.messaging;

import java.time.Instant;
import java.util.Objects;

/**
 * A message that was not delivered, and why.
 *
 * <p>The bytes of an encoded message are kept whole up to {@link #KEPT_BYTES} (4 KiB); of a longer one,
 * the dead-letter queue keeps that prefix and {@code encodedLength} tells the original length, so that
 * refused oversized input does not stay in memory.
 *
 * @param envelope the message, or {@code null} when it never decoded (see {@code bytes})
 * @param bytes the encoded message (or its first {@link #KEPT_BYTES} bytes) when it was marshalled or
 *     arrived as bytes, otherwise {@code null}
 * @param recipient the agent it was for, or {@code null} when unknown (a broadcast lists each recipient
 *     separately)
 * @param reason why it was not delivered
 * @param detail a readable explanation, such as the decoder's complaint or the size and the limit
 * @param time when it became a dead letter
 * @param encodedLength the length of the encoded message in bytes, of which {@code bytes} may be a
 *     prefix; 0 when there are no bytes
 */
public record DeadLetter(
        Envelope envelope,
        byte[] bytes,
        AgentId recipient,
        Reason reason,
        String detail,
        Instant time,
        long encodedLength) {
    /** How many bytes of an encoded message a dead letter keeps at most: 4 KiB. */
    public static final int KEPT_BYTES = 4096;

    /** Why a message became a dead letter. */
    public enum Reason {
        /** No agent with the recipient's id. */
        NO_SUCH_AGENT,
        /** The recipient's inbox was full and the overflow policy refused the message. */
        MAILBOX_FULL,
        /** Dropped from a full inbox to make room (DROP_OLDEST, or a higher-priority arrival). */
        EVICTED,
        /** Its deadline passed before it was delivered or handled. */
        EXPIRED,
        /** Encoded, it was larger than the codec's limit. */
        TOO_LARGE,
        /** Its payload could not be encoded. */
        UNENCODABLE,
        /** Its bytes did not decode (not a valid message, or the payload did not fit the inbox's type). */
        MALFORMED,
        /** The recipient closed its inbox before handling it (or the messenger closed). */
        RECIPIENT_CLOSED,
        /** A blocked send was interrupted, or the messenger was already closed. */
        REJECTED,
        /**
         * Its handler threw (the failure also goes to the messenger's failure listener, and a request is
         * answered with {@link ReplyFailure#RECIPIENT_FAILURE}), or, over Redis, it was delivered more
         * often than the messenger's limit without being acknowledged (its handling crashed or hung).
         */
        HANDLER_FAILED
    }

    /** A dead letter whose {@code bytes}, if any, are the whole encoded message. */
    public DeadLetter(Envelope envelope, byte[] bytes, AgentId recipient, Reason reason, String detail, Instant time) {
        this(envelope, bytes, recipient, reason, detail, time, bytes == null ? 0 : bytes.length);
    }

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(time, "time");
        if (envelope == null && bytes == null) {
            throw new IllegalArgumentException("a dead letter needs its envelope or its bytes");
        }
        if (encodedLength < (bytes == null ? 0 : bytes.length)) {
            throw new IllegalArgumentException(
                    "encodedLength must be at least the bytes kept (" + bytes.length + "), got " + encodedLength);
        }
    }

    /** Whether {@code bytes} holds only a prefix of the encoded message. */
    public boolean truncated() {
        return bytes != null && bytes.length < encodedLength;
    }
}
