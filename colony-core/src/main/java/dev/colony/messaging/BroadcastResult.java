package dev.colony.messaging;

/**
 * What a {@link Messenger#broadcast broadcast} did.
 *
 * @param matched agents in the audience (the sender excluded unless asked for)
 * @param delivered messages accepted into their inboxes; the others are dead letters with the reason
 */
public record BroadcastResult(int matched, int delivered) {
    public BroadcastResult {
        if (matched < 0 || delivered < 0 || delivered > matched) {
            throw new IllegalArgumentException("need 0 <= delivered <= matched, got " + delivered + " of " + matched);
        }
    }

    /** Messages that were not delivered. */
    public int undelivered() {
        return matched - delivered;
    }
}
