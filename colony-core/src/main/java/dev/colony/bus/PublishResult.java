package dev.colony.bus;

/**
 * What a publish did, counted over the subscriptions whose pattern matched.
 *
 * <p>Each matched subscription counts once in {@code accepted} (a DIRECT handler that returned normally,
 * an ASYNC mailbox that took the event), {@code rejected}, {@code failed}, or, when a DROP policy dropped
 * the arriving event itself, in none of them. {@code dropped} counts events lost to a DROP policy
 * because of this publish: the arriving event (then it is not accepted by that subscription), or an
 * older queued event it evicted (then this one is accepted). So for one event
 * {@code matched >= accepted + rejected + failed}, with equality when no arriving event was dropped. For
 * a batch, the figures are sums over its events.
 *
 * @param matched subscriptions the event was routed to; 0 means a dead event
 * @param accepted handed over successfully
 * @param dropped events lost to a DROP overflow policy
 * @param rejected refused by a full mailbox under {@code FAIL}, a closing subscription, or a
 *     {@code BLOCK} mailbox its own handler published into
 * @param failed DIRECT handlers that threw
 */
public record PublishResult(int matched, int accepted, int dropped, int rejected, int failed) {
    private static final PublishResult[] ALL_ACCEPTED = new PublishResult[64];

    static {
        for (int i = 0; i < ALL_ACCEPTED.length; i++) {
            ALL_ACCEPTED[i] = new PublishResult(i, i, 0, 0, 0);
        }
    }

    /** The result of an event no subscription matched. */
    public static final PublishResult DEAD = ALL_ACCEPTED[0];

    /** True when no subscription matched the subject. */
    public boolean isDead() {
        return matched == 0;
    }

    /** True when every matched subscription accepted the event and nothing was dropped. */
    public boolean isClean() {
        return accepted == matched && dropped == 0;
    }

    PublishResult plus(PublishResult other) {
        return of(
                matched + other.matched,
                accepted + other.accepted,
                dropped + other.dropped,
                rejected + other.rejected,
                failed + other.failed);
    }

    /** Returns a shared instance for the common all-accepted results, so hot paths do not allocate. */
    static PublishResult of(int matched, int accepted, int dropped, int rejected, int failed) {
        if (matched == accepted && dropped == 0 && matched < ALL_ACCEPTED.length) {
            return ALL_ACCEPTED[matched];
        }
        return new PublishResult(matched, accepted, dropped, rejected, failed);
    }
}
