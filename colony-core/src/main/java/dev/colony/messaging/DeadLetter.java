package dev.colony.messaging;

import java.time.Instant;
import java.util.Objects;

/**
 * A message that was not delivered, and why.
 *
 * @param envelope the message, or {@code null} when it never decoded (see {@code bytes})
 * @param bytes the encoded message when it was marshalled or arrived as bytes, otherwise {@code null}
 * @param recipient the agent it was for, or {@code null} when unknown (a broadcast lists each recipient
 *     separately)
 * @param reason why it was not delivered
 * @param detail a readable explanation, such as the decoder's complaint or the size and the limit
 * @param time when it became a dead letter
 */
public record DeadLetter(
        Envelope envelope, byte[] bytes, AgentId recipient, Reason reason, String detail, Instant time) {

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
        REJECTED
    }

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(time, "time");
        if (envelope == null && bytes == null) {
            throw new IllegalArgumentException("a dead letter needs its envelope or its bytes");
        }
    }
}
