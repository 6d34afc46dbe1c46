package dev.colony.messaging;

import java.util.List;
import java.util.function.Predicate;

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

    /**
     * The result of a broadcast to {@code members}: {@code deliver} sends the copy for one member and says
     * whether its inbox accepted it. Each backend's messenger counts a broadcast this way.
     */
    public static BroadcastResult of(List<AgentId> members, Predicate<AgentId> deliver) {
        int delivered = 0;
        for (AgentId member : members) {
            if (deliver.test(member)) {
                delivered++;
            }
        }
        return new BroadcastResult(members.size(), delivered);
    }

    /** Messages that were not delivered. */
    public int undelivered() {
        return matched - delivered;
    }
}
