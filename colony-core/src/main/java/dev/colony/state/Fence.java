package dev.colony.state;

/**
 * A leader's fencing token: the election group and the term it was elected in. A state operation that
 * carries a fence is refused ({@code STALE_TERM}) once the group has a newer term, so a leader that was
 * paused while another was elected cannot act on its stale belief.
 *
 * @param group the election group
 * @param term the leader's term
 */
public record Fence(String group, long term) {
    public Fence {
        Names.token(group, "group");
        if (term < 1) {
            throw new IllegalArgumentException("term must be positive, got " + term);
        }
    }
}
