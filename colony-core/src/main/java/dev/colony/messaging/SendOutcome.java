package dev.colony.messaging;

/**
 * What {@link Messenger#send} (or the future of {@link Messenger#sendAsync}) did with a message. Every outcome but {@link #DELIVERED} also leaves a
 * {@link DeadLetter} with the reason.
 */
public enum SendOutcome {
    /**
     * Accepted into the recipient's inbox (or, for a reply, handed to the waiting request). The handler
     * has not necessarily run yet.
     */
    DELIVERED,
    /** No agent with the recipient's id has an inbox. */
    NO_SUCH_AGENT,
    /** The recipient's inbox is full and its overflow policy refused or dropped this message. */
    MAILBOX_FULL,
    /** The message's deadline had passed when it was sent. */
    EXPIRED,
    /**
     * Refused: too large or not encodable (when messages are marshalled), the recipient closed its inbox
     * meanwhile, the messenger is closed, or a blocked send was interrupted.
     */
    REJECTED;

    /** Whether the message reached the recipient's inbox. */
    public boolean delivered() {
        return this == DELIVERED;
    }
}
