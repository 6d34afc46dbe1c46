package dev.colony.messaging;

/** Why a {@link Messenger#request request} got no reply; carried by a {@link ReplyException}. */
public enum ReplyFailure {
    /** No reply arrived before the timeout (or the request's deadline passed in the recipient's inbox). */
    TIMEOUT,
    /** No agent with the recipient's id has an inbox; reported at once. */
    NO_RECIPIENT,
    /** The recipient's handler threw; the exception's message is the detail. */
    RECIPIENT_FAILURE,
    /**
     * The request did not reach a handler: the inbox was full, the message was refused or malformed, or
     * the recipient closed its inbox before handling it.
     */
    UNDELIVERED,
    /** The messenger closed while the request was waiting. */
    CLOSED
}
